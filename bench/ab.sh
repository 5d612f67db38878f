#!/usr/bin/env bash
# Comparison runs (issue #27) on one embedded kind, repeated: A/A (baseline and candidate the same build and settings)
# and, with a slowdown, the candidate's calls made that much slower by the embedded cluster's hook.
# Prints one Markdown row per test — the verdicts over the runs, the ratios (median and range), pairs and seconds —
# then the totals: judged comparisons by verdict, failed cases, and each run's wall time.
# Needs a built solution (dotnet build TestBench.sln).
# usage: bench/ab.sh [runs, default 3] [slowdown, default 1 = A/A] [workflows: a name, a comma list or all, default hello_world] [kind, default local]
# NOISY=2 bench/ab.sh … runs that many busy Python loops beside every run (the noisy-neighbour check).
# FILTER='DisplayName!~1000 calls' bench/ab.sh … narrows the cases further (a dotnet test filter, joined with &).
# Other TESTBENCH_COMPARE_* variables set outside (instances, budget, threshold) reach every run.
# Touch <work dir>/stop to end the series after the run in progress; bench/ab-summary.py summarizes any work dir.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
slowdown=${2:-1}
workflow=${3:-hello_world}
kind=${4:-local}
noisy=${NOISY:-0}
work=$(mktemp -d /tmp/testbench-ab-XXXXXX)
filter=()
clauses=()
if [[ $workflow != all ]]; then clauses+=("(Workflow=${workflow//,/|Workflow=})"); fi
if [[ -n ${FILTER:-} ]]; then clauses+=("($FILTER)"); fi
if ((${#clauses[@]})); then filter=(--filter "$(IFS='&'; echo "${clauses[*]}")"); fi

neighbours=()
stop_neighbours() { for pid in "${neighbours[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_neighbours EXIT
for _ in $(seq 1 "$noisy"); do
  # Bounded: killed when this script ends, and each loop gives up after an hour by itself.
  python3 -c 'import time
end = time.time() + 3600
while time.time() < end: pass' &
  neighbours+=($!)
done

for run in $(seq 1 "$runs"); do
  if [[ -e $work/stop ]]; then break; fi
  started=$(date +%s.%N)
  slow=()
  if [[ $slowdown != 1 ]]; then slow=(TESTBENCH_CANDIDATE_SLOWDOWN="$slowdown"); fi
  env TESTBENCH_COMPARE="$kind" "${slow[@]}" TESTBENCH_RESULTS_DIRECTORY="$work/$run" \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings "${filter[@]}" >"$work/$run.log" 2>&1 || true
  awk -v end="$(date +%s.%N)" -v start="$started" 'BEGIN { print end - start }' >"$work/$run.seconds"
done
stop_neighbours

python3 bench/ab-summary.py "$work" "$slowdown" "$kind" "$noisy"
echo
echo "(files in $work)"
