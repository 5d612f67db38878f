#!/usr/bin/env bash
# Measures the embedded Wallaroo as the benchmark sees it: every task run's start latency (task created → the
# timestamp of its code's first log line), run latency (task created → run ended, Wallaroo's clock) and log lag
# (run seen ended → its result line seen in its logs), pooled over the run_once calls of every Wallaroo test, plus
# the scheduled test's start drift (tick → first log line). Each run is the benchmark command as a new process (a new
# service, new uploads); bench/wallaroo.py reads the case output from the TRX files and tabulates it per run.
# Usage: bash bench/wallaroo.sh RUNS      (default 3; FILTER narrows, default Workflow=hello_world|Workflow=image_processing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 && "$runs" -le 50 ]] || { echo "runs must be a whole number 1..50, not '$runs'" >&2; exit 2; }
filter=${FILTER:-"Workflow=hello_world|Workflow=image_processing"}
out=$(mktemp -d /tmp/testbench-wallaroo-XXXXXX)
received_before=$(ls workflows/*.ratchet.received.json 2>/dev/null || true)
dotnet build TestBench.sln -nologo -v q >/dev/null
for i in $(seq 1 "$runs"); do
  TESTBENCH_TARGETS=wallaroo TESTBENCH_RESULTS_DIRECTORY="$out/run$i" \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings --filter "$filter" \
    --logger "trx;LogFileName=run$i.trx" --results-directory "$out/trx" >"$out/log$i.txt" 2>&1 \
    || echo "run $i failed a case (see $out/log$i.txt)" >&2
done
# Received bars proposed by these runs are not anybody's to accept.
for file in workflows/*.ratchet.received.json; do
  [ -e "$file" ] && ! grep -qxF "$file" <<<"$received_before" && rm -f "$file"
done
/usr/bin/env python3 bench/wallaroo.py "$out"/trx/*.trx
echo "raw: $out"
