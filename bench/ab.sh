#!/usr/bin/env bash
# Comparison runs (issue #27) of one workflow on one embedded kind, repeated: A/A (baseline and candidate the same
# build and settings) and, with a slowdown, the candidate's calls made that much slower by the embedded cluster's hook.
# Prints one Markdown row per test: the verdicts over the runs, the ratios (median and range), pairs and seconds.
# Needs a built solution (dotnet build TestBench.sln).
# usage: bench/ab.sh [runs, default 3] [slowdown, default 1 = A/A] [workflow, default hello_world] [kind, default local]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
slowdown=${2:-1}
workflow=${3:-hello_world}
kind=${4:-local}
work=$(mktemp -d /tmp/testbench-ab-XXXXXX)

for run in $(seq 1 "$runs"); do
  TESTBENCH_COMPARE=$kind TESTBENCH_CANDIDATE_SLOWDOWN=$slowdown TESTBENCH_RESULTS_DIRECTORY=$work/$run \
    dotnet test tests/TestBench.Benchmarks --no-build --settings .runsettings --filter "Workflow=$workflow" >"$work/$run.log" 2>&1 || true
done

python3 - "$work" "$runs" "$slowdown" <<'PY'
import json, os, statistics, sys
work, runs, slowdown = sys.argv[1], int(sys.argv[2]), sys.argv[3]
by_test = {}
for run in range(1, runs + 1):
    path = os.path.join(work, str(run), "testbench-results.json")
    if not os.path.exists(path):
        continue
    for c in json.load(open(path)).get("comparisons", []):
        by_test.setdefault(c["test"], []).append(c)
print(f"| test ({runs} runs, candidate slowdown {slowdown}) | verdicts | ratio median (min–max) | pairs median | s of pairs median |")
print("|---|---|---|---|---|")
for test, cs in by_test.items():
    verdicts = {}
    for c in cs:
        verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
    ratios = [c["ratio"] for c in cs]
    print(f'| {test} | {", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))} | {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) '
          f'| {statistics.median(len(c["pairs"]) for c in cs):.0f} | {statistics.median(c["seconds"] for c in cs):.1f} |')
PY
echo
echo "(files in $work)"
