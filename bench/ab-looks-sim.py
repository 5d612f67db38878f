#!/usr/bin/env python3
"""What repeated looks do to a paired comparison's false alarms (issue #27): a simulation, not a measurement.

Each simulated comparison draws pairs' log ratios as normal with sd `s` around the true effect plus its instance pair's
offset (two instance pairs taking the pairs in turn, each offset normal with sd `spread`), and judges them as
PairedComparison and InterleavedTrials do: looks at 5, 10, 20 ... 320 pairs; worse when the interval widened by the
assumed instance spread of 0.025 lies above 0 and the mean is past the 5 % threshold; same when the run's own interval
lies within ±5 %; else more pairs, inconclusive after 320. Two rules: every look at alpha = 1 % (the rule before
2026-12-08), and worse/better at alpha / 8 with same at alpha (the rule since). Student t quantiles by the
Cornish-Fisher expansion (within 0.01 of the exact value from 4 degrees of freedom up); the verdict is
bench/ab-reanalyse.py's.
usage: bench/ab-looks-sim.py [simulated comparisons per cell, default 4000] [seed, default 1]
Standard library only.
"""
import importlib.util
import math
import os
import random
import sys
from statistics import NormalDist

_spec = importlib.util.spec_from_file_location("reanalyse", os.path.join(os.path.dirname(__file__), "ab-reanalyse.py"))
REANALYSE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(REANALYSE)

STANDARD = NormalDist()
ASSUMED_SPREAD = 0.025
LOOKS = [5, 10, 20, 40, 80, 160, 320]


def t_quantile(p, df):
    z = STANDARD.inv_cdf(p)
    if df > 1e4:
        return z
    return (z + (z ** 3 + z) / 4 / df + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96 / df ** 2
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384 / df ** 3)


def judge(ratios, looks):
    """The verdict as bench/ab-reanalyse.py gives it (PairedComparison's), with the fast quantile; None: more pairs."""
    # Two instance pairs with equal shares keep half of the spread's variance.
    verdict = REANALYSE.verdict(ratios, 0.05, 0.01, looks, ASSUMED_SPREAD / math.sqrt(2), t_quantile)
    return None if verdict == "inconclusive" else verdict


def comparison(rng, s, spread, effect, looks):
    offsets = [rng.gauss(0, spread), rng.gauss(0, spread)]
    ratios = []
    for look in LOOKS:
        while len(ratios) < look:
            ratios.append(rng.gauss(effect + offsets[len(ratios) % 2], s))
        verdict = judge(ratios, looks)
        if verdict:
            return verdict, len(ratios)
    return "inconclusive", len(ratios)


def cell(rng, reps, s, spread, effect, looks):
    counts, pairs = {}, []
    for _ in range(reps):
        verdict, n = comparison(rng, s, spread, effect, looks)
        counts[verdict] = counts.get(verdict, 0) + 1
        pairs.append(n)
    pairs.sort()
    return counts, pairs[len(pairs) // 2]


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    rules = [("1 % at every look", 1), ("worse/better at 1 % / 8, same at 1 %", 8)]
    print(f"{reps} simulated comparisons a cell (power cells: {reps // 4})")
    print()
    print("| rule | pair sd | true instance spread | A/A worse | A/A better | A/A same | power at 10 % (pairs median) | worse at 5 % |")
    print("|---|---|---|---|---|---|---|---|")
    for name, looks in rules:
        for s in (0.05, 0.10, 0.15):
            for spread in (0.0, 0.025):
                aa, _ = cell(rng, reps, s, spread, 0.0, looks)
                ten, ten_pairs = cell(rng, reps // 4, s, spread, math.log(1.10), looks)
                five, _ = cell(rng, reps // 4, s, spread, math.log(1.05), looks)
                share = lambda counts, verdict, total: f"{100 * counts.get(verdict, 0) / total:.1f} %"
                print(f"| {name} | {s} | {spread} | {share(aa, 'worse', reps)} | {share(aa, 'better', reps)} | {share(aa, 'same', reps)} "
                      f"| {share(ten, 'worse', reps // 4)} ({ten_pairs}) | {share(five, 'worse', reps // 4)} |")


if __name__ == "__main__":
    main()
