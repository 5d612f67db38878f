#!/usr/bin/env python3
"""Replays stored comparison runs under the futility stop (issue #27): which comparisons it would have ended early, at
how many pairs, and whether any of them had reached a verdict other than inconclusive as run (a verdict lost).

A re-analysis of real runs, not new measurements. Each comparison's pairs are looked at again as InterleavedTrials
looks: the first look at 5 pairs or the pairs of its first 3 s (at the comparison's own pace: its pairs over its
seconds), then at twice the pairs of the last; from 20 pairs on, a look that is undecided checks Futility as the harness
does (the scatter's lower 1 - alpha bound by Wilson-Hilferty, projected to the pairs the budget reaches at that pace;
same out of reach and no difference in sight). The budget is 2 minutes and 320 pairs, 30 s for the 1000 calls/s test
(its workflow's "compare" setting).
usage: bench/ab-futility.py <bench/ab.sh work directory>... (each with <run>/testbench-results.json)
Standard library only.
"""
import glob
import importlib.util
import json
import math
import os
import sys
from statistics import NormalDist

_spec = importlib.util.spec_from_file_location("reanalyse", os.path.join(os.path.dirname(__file__), "ab-reanalyse.py"))
REANALYSE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REANALYSE)

SPREAD = 0.025
MAX_PAIRS = 320
FROM_PAIRS = 20


def chi_squared_quantile(p, degrees):
    z = NormalDist().inv_cdf(p)
    cube = 1 - 2 / (9 * degrees) + z * math.sqrt(2 / (9 * degrees))
    return degrees * cube ** 3


def futile(ratios, threshold, alpha, looks, spread, reachable):
    n = len(ratios)
    mean = sum(ratios) / n
    sd = math.sqrt(sum((r - mean) ** 2 for r in ratios) / (n - 1))
    scatter = sd * math.sqrt((n - 1) / chi_squared_quantile(1 - alpha, n - 1))
    pairs = max(n, reachable)
    delta = math.log(1 + threshold)
    if REANALYSE.t_quantile(1 - alpha, pairs - 1) * scatter / math.sqrt(pairs) < delta:
        return False
    difference = REANALYSE.t_quantile(1 - alpha / looks, pairs - 1) * math.sqrt(scatter ** 2 / pairs + spread ** 2)
    return not (abs(mean) >= delta and abs(mean) > difference)


def replay(c):
    """(pairs at which the futility stop ends it, or None; the verdict a look before it gave, or None)."""
    ratios = [math.log(p["candidate_median_ms"] / p["baseline_median_ms"]) for p in c["pairs"]]
    if len(ratios) < 5 or not c.get("seconds"):
        return None, None
    budget = 30 if "1000 calls/s" in c["test"] else 120
    pace = len(ratios) / c["seconds"]
    reachable = lambda n: max(n, min(MAX_PAIRS, int(pace * budget)))
    looks = c.get("looks", 8)
    look = max(5, math.ceil(pace * 3))
    while look <= len(ratios):
        seen = ratios[:look]
        spread = REANALYSE.remaining_spread(c["pairs"][:look], SPREAD)
        verdict = REANALYSE.verdict(seen, c["threshold"], c["alpha"], looks, spread)
        if verdict != "inconclusive":
            return None, verdict
        if look >= FROM_PAIRS and futile(seen, c["threshold"], c["alpha"], looks, spread, reachable(look)):
            return look, None
        look *= 2
    return None, None


def main():
    rows, lost, stopped, pairs_run, pairs_kept = {}, [], 0, 0, 0
    for work in sys.argv[1:]:
        for path in sorted(glob.glob(os.path.join(work, "*", "testbench-results.json"))):
            for c in json.load(open(path)).get("comparisons", []):
                stop, _ = replay(c)
                n = len(c["pairs"])
                pairs_run += n
                pairs_kept += stop or n
                row = rows.setdefault((c["workflow"], c["test"]), {"n": 0, "stopped": [], "verdicts": {}})
                row["n"] += 1
                row["verdicts"][c["verdict"]] = row["verdicts"].get(c["verdict"], 0) + 1
                if stop:
                    stopped += 1
                    row["stopped"].append((stop, n))
                    if c["verdict"] != "inconclusive":
                        lost.append((path, c["test"], c["verdict"], stop, n))
    print("| test | comparisons | as run | ended early by the futility stop | at pairs (of those run) |")
    print("|---|---|---|---|---|")
    for (workflow, test), row in rows.items():
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted(row["verdicts"].items()))
        at = ", ".join(f"{s} ({n})" for s, n in row["stopped"]) or "–"
        print(f"| {workflow} › {test} | {row['n']} | {verdicts} | {len(row['stopped'])} | {at} |")
    total = sum(row["n"] for row in rows.values())
    print(f"{total} comparisons: {stopped} ended early; pairs {pairs_kept} of {pairs_run} ({100 * pairs_kept / max(1, pairs_run):.0f} %); "
          f"verdicts other than inconclusive lost: {len(lost)}")
    for path, test, verdict, stop, n in lost:
        print(f"  lost: {path} {test}: {verdict} at {n} pairs, stopped at {stop}")


if __name__ == "__main__":
    main()
