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
  started=$(date +%s.%N)
  slow=()
  if [[ $slowdown != 1 ]]; then slow=(TESTBENCH_CANDIDATE_SLOWDOWN="$slowdown"); fi
  env TESTBENCH_COMPARE="$kind" "${slow[@]}" TESTBENCH_RESULTS_DIRECTORY="$work/$run" \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings "${filter[@]}" >"$work/$run.log" 2>&1 || true
  awk -v end="$(date +%s.%N)" -v start="$started" 'BEGIN { print end - start }' >"$work/$run.seconds"
done
stop_neighbours

python3 - "$work" "$runs" "$slowdown" "$kind" "$noisy" <<'PY'
import json, math, os, re, statistics, sys
work, runs, slowdown, kind, noisy = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
by_test, totals, failed, seconds = {}, {}, 0, []
def pair_sd(cs):
    # The pooled within-run sd of one pair's log ratio (what sets the pairs a verdict needs).
    sums = [(len(r) - 1, statistics.variance(r)) for r in ([math.log(p["candidate_median_ms"] / p["baseline_median_ms"]) for p in c["pairs"] if p["baseline_median_ms"] > 0 and 0 < p["candidate_median_ms"] < float("inf")] for c in cs) if len(r) > 1]
    df = sum(n for n, _ in sums)
    return f"{math.sqrt(sum(n * v for n, v in sums) / df):.3f}" if df else "–"
for run in range(1, runs + 1):
    path = os.path.join(work, str(run), "testbench-results.json")
    if os.path.exists(path):
        for c in json.load(open(path)).get("comparisons", []):
            by_test.setdefault((c["workflow"], c["test"]), []).append(c)
            totals[c["verdict"]] = totals.get(c["verdict"], 0) + 1
    log = open(os.path.join(work, f"{run}.log")).read()
    failed += sum(int(n) for n in re.findall(r"Failed:\s+(\d+)", log))
    seconds.append(float(open(os.path.join(work, f"{run}.seconds")).read()))
print(f"| test ({runs} runs, {kind}, candidate slowdown {slowdown}{', ' + noisy + ' busy loops beside' if noisy != '0' else ''}) | verdicts | ratio median (min–max) | pairs median | s of pairs median | sd of a pair's log ratio |")
print("|---|---|---|---|---|---|")
for (workflow, test), cs in by_test.items():
    verdicts = {}
    for c in cs:
        verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
    ratios = [c["ratio"] for c in cs]
    print(f'| {workflow} › {test} | {", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))} | {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) '
          f'| {statistics.median(len(c["pairs"]) for c in cs):.0f} | {statistics.median(c["seconds"] for c in cs):.1f} | {pair_sd(cs)} |')
judged = sum(totals.values())
print()
print(f"{judged} comparisons: " + ", ".join(f"{n} {v}" for v, n in sorted(totals.items())) + f"; failed cases: {failed}; "
      f"run wall time median {statistics.median(seconds):.0f} s ({min(seconds):.0f}–{max(seconds):.0f} s)")
PY
echo
echo "(files in $work)"
