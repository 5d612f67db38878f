#!/usr/bin/env python3
"""Summarizes a bench/ab.sh work directory (issue #27): one Markdown row per compared test — the verdicts over the
runs, the ratios (median and range), pairs, seconds of pairs and the pooled sd of one pair's log ratio — then the
totals: comparisons by verdict, failed cases and the runs' wall times. Counts the runs that finished, so a series
stopped early (touch <work dir>/stop) is summarized as far as it went. Standard library only.
usage: bench/ab-summary.py <work dir> [candidate slowdown, default 1] [kind, default local] [busy loops beside, default 0]
"""
import glob
import json
import math
import os
import re
import statistics
import sys


def pair_sd(comparisons):
    """The pooled within-run sd of one pair's log ratio: what sets how many pairs a verdict needs."""
    runs = [[math.log(p["candidate_median_ms"] / p["baseline_median_ms"]) for p in c["pairs"]] for c in comparisons]
    sums = [(len(r) - 1, statistics.variance(r)) for r in runs if len(r) > 1]
    df = sum(n for n, _ in sums)
    return f"{math.sqrt(sum(n * v for n, v in sums) / df):.3f}" if df else "–"


def counted(items):
    tally = {}
    for item in items:
        tally[item] = tally.get(item, 0) + 1
    return tally


def main():
    work = sys.argv[1]
    slowdown, kind, noisy = (sys.argv[2:5] + ["1", "local", "0"][len(sys.argv[2:5]):])
    runs = len(glob.glob(os.path.join(work, "*.seconds")))  # the runs that finished
    by_test, failed, seconds = {}, 0, []
    for run in range(1, runs + 1):
        path = os.path.join(work, str(run), "testbench-results.json")
        if os.path.exists(path):
            for c in json.load(open(path)).get("comparisons", []):
                by_test.setdefault((c["workflow"], c["test"]), []).append(c)
        failed += sum(int(n) for n in re.findall(r"Failed:\s+(\d+)", open(os.path.join(work, f"{run}.log")).read()))
        seconds.append(float(open(os.path.join(work, f"{run}.seconds")).read()))
    beside = f", {noisy} busy loops beside" if noisy != "0" else ""
    print(f"| test ({runs} runs, {kind}, candidate slowdown {slowdown}{beside}) | verdicts | ratio median (min–max) | pairs median | s of pairs median | sd of a pair's log ratio |")
    print("|---|---|---|---|---|---|")
    for (workflow, test), cs in by_test.items():
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted(counted(c["verdict"] for c in cs).items()))
        ratios = [c["ratio"] for c in cs]
        print(f"| {workflow} › {test} | {verdicts} | {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) "
              f"| {statistics.median(len(c['pairs']) for c in cs):.0f} | {statistics.median(c['seconds'] for c in cs):.1f} | {pair_sd(cs)} |")
    totals = counted(c["verdict"] for cs in by_test.values() for c in cs)
    print()
    print(f"{sum(totals.values())} comparisons: " + ", ".join(f"{n} {v}" for v, n in sorted(totals.items())) + f"; failed cases: {failed}; "
          f"run wall time median {statistics.median(seconds):.0f} s ({min(seconds):.0f}–{max(seconds):.0f} s)")


if __name__ == "__main__":
    main()
