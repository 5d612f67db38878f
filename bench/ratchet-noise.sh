#!/usr/bin/env bash
# Measures how much every benchmark measure moves between runs on this machine, which is what the ratchet's
# tolerances are chosen from (docs/benchmarks.md, RatchetPolicy). Runs the whole test suite N times as CI does
# (the unit and integration tests load the machine while the benchmark measures), each run's benchmark results
# into their own folder, then prints per test and measure the median, min, max and max/min as a Markdown table.
# Usage: bash bench/ratchet-noise.sh [runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 2 && "$runs" -le 100 ]] || { echo "runs must be a whole number 2..100, not '$runs'" >&2; exit 2; }

out=$(mktemp -d /tmp/testbench-noise-XXXXXX)
received_before=$(ls workflows/*.ratchet.received.json 2>/dev/null || true)
dotnet build TestBench.sln -nologo -v q >/dev/null
for i in $(seq 1 "$runs"); do
  # A run that fails a bar still measured everything; the spread is what matters here.
  TESTBENCH_RESULTS_DIRECTORY="$out/run$i" dotnet test TestBench.sln --no-build --settings .runsettings -m:1 \
    >"$out/log$i.txt" 2>&1 || echo "run $i had failures (see $out/log$i.txt)" >&2
done

# Received bars proposed by these runs are not anybody's to accept: remove the ones this script created.
for file in workflows/*.ratchet.received.json; do
  [ -e "$file" ] && ! grep -qxF "$file" <<<"$received_before" && rm -f "$file"
done
python3 bench/ratchet_noise.py "$out"/run*/testbench-results.json
echo "raw results: $out"
