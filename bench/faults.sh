#!/usr/bin/env bash
# Issue #34's bad night, on purpose: the hello_world benchmark against one embedded destination, whose process is
# killed (kill -9) once the export has been measured. Per target and round: seconds from the kill to the end of
# `dotnet test`, whether the results file, the report and the TRX were written, whether the results file says it is
# complete, how many export measures and cases it kept (by outcome), whether xUnit reported a collection clean-up
# failure, and the first failed case's reason. Needs a built solution (dotnet build TestBench.sln).
# usage: bench/faults.sh [rounds, default 1] [targets, default "local racetrack wallaroo"]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
targets=${2:-local racetrack wallaroo}
work=$(mktemp -d /tmp/testbench-faults-XXXXXX)

# The destination's server process of each target (the source cluster, user "quality", is left alone).
declare -A destination=(
  [local]='TestBench.LocalCluster(.dll)? cluster --data [^ ]*testbench-testbench-cluster-'
  [racetrack]='TestBench.LocalCluster(.dll)? racetrack --data'
  [wallaroo]='TestBench.LocalCluster(.dll)? wallaroo --data'
)

now_ms() { date +%s%3N; }

one_round() { # target round → one Markdown row
  local target=$1 out=$work/$1-$2
  mkdir -p "$out"
  TESTBENCH_TARGETS=$target TESTBENCH_RESULTS_DIRECTORY=$out/results \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings --filter Workflow=hello_world \
    --logger "trx;LogFileName=run.trx" --results-directory "$out/trx" >"$out/console.log" 2>&1 &
  local run=$! results=$out/results/testbench-results.json
  # Bounded: at most 10 minutes for the export to be measured.
  for _ in $(seq 1 3000); do
    if [ -f "$results" ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["exports"] else 1)' "$results" 2>/dev/null; then break; fi
    if ! kill -0 "$run" 2>/dev/null; then break; fi
    sleep 0.2
  done
  local killed; killed=$(now_ms)
  pkill -9 -f -- "${destination[$target]}" || echo "no destination process of $target found" >&2
  wait "$run" || true
  local seconds; seconds=$(awk -v ms=$(( $(now_ms) - killed )) 'BEGIN { printf "%.1f", ms / 1000 }')
  local trx; trx=$(find "$out/trx" -name '*.trx' | head -1)
  local cleanup=no
  if [ -n "$trx" ] && grep -q 'Collection Cleanup Failure' "$trx"; then cleanup=yes; fi
  python3 - "$results" "$out/results/testbench-report.html" "$trx" "$target" "$seconds" "$cleanup" <<'PY'
import json, os, sys
results, report, trx, target, seconds, cleanup = sys.argv[1:]
if os.path.exists(results):
    run = json.load(open(results))
    outcomes = {}
    for case in run["cases"]:
        outcomes[case["outcome"]] = outcomes.get(case["outcome"], 0) + 1
    failed = [c for c in run["cases"] if c["outcome"] == "failed"]
    reason = failed[0]["reason"].splitlines()[0] if failed else "–"
    kept = f'yes, complete: {str(run["complete"]).lower()}, {len(run["exports"])} export measure(s), cases {outcomes}'
else:
    kept, reason = "no", "–"
print(f'| {target} | {seconds} | {kept} | {"yes" if os.path.exists(report) else "no"} | {"yes" if trx else "no"} | {cleanup} | {reason.replace("|", "/")} |')
PY
}

echo "| target | s from kill to end | results JSON | report | TRX | collection clean-up failure | first failed case's reason |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for target in $targets; do one_round "$target" "$round"; done
done
echo
echo "(files in $work)"
