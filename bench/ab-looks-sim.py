#!/usr/bin/env python3
"""What repeated looks do to a paired comparison's false alarms (issue #27): a simulation, not a measurement.

Each simulated comparison draws pairs' log ratios as normal with sd `s` around the true effect plus its instance pair's
offset (two instance pairs taking the pairs in turn, each offset normal with sd `spread`), and judges them as
PairedComparison and InterleavedTrials do: looks at 5, 10, 20 ... 320 pairs; worse when the interval widened by the
assumed instance spread of 0.025 lies above 0 and the mean is past the 5 % threshold; same when the run's own interval
lies within ±5 %; else more pairs, inconclusive after 320. Two rules: every look at alpha = 1 % (the rule before
2026-12-08), and worse/better at alpha / 8 with same at alpha (the rule since). Student t quantiles by the
Cornish-Fisher expansion (within 0.01 of the exact value from 4 degrees of freedom up).
usage: bench/ab-looks-sim.py [simulated comparisons per cell, default 4000] [seed, default 1]
Standard library only.
"""
import math
import random
import sys
from statistics import NormalDist

STANDARD = NormalDist()
THRESHOLD = math.log(1.05)
ASSUMED_SPREAD = 0.025
LOOKS = [5, 10, 20, 40, 80, 160, 320]


def t_quantile(p, df):
    z = STANDARD.inv_cdf(p)
    if df > 1e4:
        return z
    return (z + (z ** 3 + z) / 4 / df + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96 / df ** 2
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384 / df ** 3)


def judge(ratios, alpha_difference, alpha_same):
    n = len(ratios)
    mean = sum(ratios) / n
    within = sum((r - mean) ** 2 for r in ratios) / (n - 1) / n
    spread = ASSUMED_SPREAD ** 2 / 2  # two instance pairs with equal shares keep half of its variance
    total = within + spread
    df = min(1e5, total * total / (within * within / (n - 1)))
    margin = t_quantile(1 - alpha_difference, df) * math.sqrt(total)
    if mean - margin > 0 and mean >= THRESHOLD:
        return "worse"
    if mean + margin < 0 and mean <= -THRESHOLD:
        return "better"
    run_margin = t_quantile(1 - alpha_same, n - 1) * math.sqrt(within)
    if mean - run_margin > -THRESHOLD and mean + run_margin < THRESHOLD:
        return "same"
    return None


def comparison(rng, s, spread, effect, alpha_difference, alpha_same):
    offsets = [rng.gauss(0, spread), rng.gauss(0, spread)]
    ratios = []
    for look in LOOKS:
        while len(ratios) < look:
            ratios.append(rng.gauss(effect + offsets[len(ratios) % 2], s))
        verdict = judge(ratios, alpha_difference, alpha_same)
        if verdict:
            return verdict, len(ratios)
    return "inconclusive", len(ratios)


def cell(rng, reps, s, spread, effect, alpha_difference, alpha_same):
    counts, pairs = {}, []
    for _ in range(reps):
        verdict, n = comparison(rng, s, spread, effect, alpha_difference, alpha_same)
        counts[verdict] = counts.get(verdict, 0) + 1
        pairs.append(n)
    pairs.sort()
    return counts, pairs[len(pairs) // 2]


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    rules = [("1 % at every look", 0.01, 0.01), ("worse/better at 1 % / 8, same at 1 %", 0.01 / 8, 0.01)]
    print(f"{reps} simulated comparisons a cell (power cells: {reps // 4})")
    print()
    print("| rule | pair sd | true instance spread | A/A worse | A/A better | A/A same | power at 10 % (pairs median) | worse at 5 % |")
    print("|---|---|---|---|---|---|---|---|")
    for name, alpha_difference, alpha_same in rules:
        for s in (0.05, 0.10, 0.15):
            for spread in (0.0, 0.025):
                aa, _ = cell(rng, reps, s, spread, 0.0, alpha_difference, alpha_same)
                ten, ten_pairs = cell(rng, reps // 4, s, spread, math.log(1.10), alpha_difference, alpha_same)
                five, _ = cell(rng, reps // 4, s, spread, math.log(1.05), alpha_difference, alpha_same)
                share = lambda counts, verdict, total: f"{100 * counts.get(verdict, 0) / total:.1f} %"
                print(f"| {name} | {s} | {spread} | {share(aa, 'worse', reps)} | {share(aa, 'better', reps)} | {share(aa, 'same', reps)} "
                      f"| {share(ten, 'worse', reps // 4)} ({ten_pairs}) | {share(five, 'worse', reps // 4)} |")


if __name__ == "__main__":
    main()
