#!/usr/bin/env bash
# Measures the verdicts on this machine: run-to-run noise (which sets each test's practical threshold), false
# alarms of unchanged runs, verdicts beside busy neighbours, and power against an injected slowdown. Every run is
# the README's benchmark command as a new process (real reruns: new clusters, new exports, new workers), its
# results in a folder of their own; bench/verdicts.py counts and tabulates them.
# Usage: bash bench/verdicts.sh noise RUNS                 # unchanged runs → run-to-run noise → received bar files
#        bash bench/verdicts.sh unchanged RUNS             # unchanged runs: how many verdicts say Regressed
#        bash bench/verdicts.sh busy RUNS                  # two CPU-bound neighbours beside every run
#        bash bench/verdicts.sh slowdown FACTOR RUNS       # every call of the embedded destination FACTOR× as long
# Set FILTER to narrow the runs (default: every workflow), e.g. FILTER=Workflow=hello_world.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in
  noise|unchanged|busy) runs=${2:-10}; factor=1 ;;
  slowdown) factor=${2:-}; runs=${3:-20}
    [[ "$factor" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "slowdown needs a factor such as 1.2, not '$factor'" >&2; exit 2; } ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 2 && "$runs" -le 200 ]] || { echo "runs must be a whole number 2..200, not '$runs'" >&2; exit 2; }

out=$(mktemp -d /tmp/testbench-verdicts-XXXXXX)
received_before=$(ls workflows/*.ratchet.received.json 2>/dev/null || true)
dotnet build TestBench.sln -nologo -v q >/dev/null
busy=()
if [ "$mode" = busy ]; then
  for _ in 1 2; do python3 -c 'while True: pass' & busy+=($!); done
  trap 'kill "${busy[@]}" 2>/dev/null' EXIT
fi
for i in $(seq 1 "$runs"); do
  # A run that fails a bar still measured everything; the verdicts are what is counted here.
  TESTBENCH_RESULTS_DIRECTORY="$out/run$i" TESTBENCH_LOCAL_SLOWDOWN="$factor" \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings ${FILTER:+--filter "$FILTER"} \
    >"$out/log$i.txt" 2>&1 || echo "run $i failed a case (see $out/log$i.txt)" >&2
done
[ "${#busy[@]}" -gt 0 ] && kill "${busy[@]}" 2>/dev/null || true

# Received bars proposed by these runs are not anybody's to accept: remove the ones this script created.
for file in workflows/*.ratchet.received.json; do
  [ -e "$file" ] && ! grep -qxF "$file" <<<"$received_before" && rm -f "$file"
done
echo "mode $mode, factor $factor, $runs runs, $(nproc) cores; raw results: $out"
if [ "$mode" = noise ]; then
  python3 bench/verdicts.py noise workflows "$out"/run*/testbench-results.json
else
  python3 bench/verdicts.py count "$out"/run*/testbench-results.json
fi
