#!/usr/bin/env python3
"""Judges the pairs stored by bench/ab.sh runs again under another instance spread (issue #27).

A re-analysis of real runs, not new measurements: each comparison's final pairs are judged as PairedComparison does
(paired t on the log ratios, the interval behind worse/better widened by the spread, Welch-Satterthwaite degrees of
freedom; same on the run's own interval). The runs stopped at their own first decisive look, so a verdict that the
spread holds back here would, in a live run, have gone on to more pairs: read it as "not decided on these pairs".
Pairs taken over several instance pairs (each pair's "instance") keep Σ(nⱼ/n)² of the spread's variance, as the verdict does.
Worse and better are tested at alpha / looks (the most looks the comparison could take, "looks" in the results file, 1 in
files written before it), same at alpha.
usage: bench/ab-reanalyse.py <bench/ab.sh work directory> [spread, default 0.025] [threshold, default (or "") each comparison's own] [alpha, default (or "") its own] [looks, default its own]
Standard library only.
"""
import glob
import json
import math
import os
import sys


def betacf(a, b, x):
    """Continued fraction of the regularized incomplete beta (Lentz)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-12:
            break
    return h


def incomplete_beta(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    return front * betacf(a, b, x) / a if x < (a + 1) / (a + b + 2) else 1 - front * betacf(b, a, 1 - x) / b


def t_cdf(t, df):
    tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t > 0 else tail


def t_quantile(p, df):
    low, high = 0.0, 100.0
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if t_cdf(mid, df) < p else (low, mid)
    return (low + high) / 2


def interval(ratios, alpha, spread, quantile=None):
    n = len(ratios)
    mean = sum(ratios) / n
    within = sum((r - mean) ** 2 for r in ratios) / (n - 1) / n
    total = within + spread * spread
    if total == 0:
        return mean, mean, mean
    df = 1e5 if within == 0 else min(1e5, total * total / (within * within / (n - 1)))
    margin = (quantile or t_quantile)(1 - alpha, df) * math.sqrt(total)
    return mean, mean - margin, mean + margin


def remaining_spread(pairs, spread):
    """The spread left in the mean of pairs spread over instance pairs: Σ(nⱼ/n)² of its variance."""
    counts = {}
    for p in pairs:
        counts[p.get("instance", 0)] = counts.get(p.get("instance", 0), 0) + 1
    return spread * math.sqrt(sum((n / len(pairs)) ** 2 for n in counts.values()))


def verdict(ratios, threshold, alpha, looks, spread, quantile=None):
    """PairedComparison's verdict on these pairs; `quantile(p, df)` the Student t quantile (exact by default)."""
    if len(ratios) < 5:
        return "inconclusive"
    delta = math.log(1 + threshold)
    mean, low, high = interval(ratios, alpha / looks, spread, quantile)
    _, run_low, run_high = interval(ratios, alpha, 0, quantile)
    if low > 0 and mean >= delta:
        return "worse"
    if high < 0 and mean <= -delta:
        return "better"
    if run_low > -delta and run_high < delta:
        return "same"
    return "inconclusive"


def main():
    work = sys.argv[1]
    spread = float(sys.argv[2]) if len(sys.argv) > 2 else 0.025
    threshold = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
    alpha = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
    looks = int(sys.argv[5]) if len(sys.argv) > 5 else None
    by_test = {}
    for path in sorted(glob.glob(os.path.join(work, "*", "testbench-results.json"))):
        for c in json.load(open(path)).get("comparisons", []):
            ratios = [math.log(p["candidate_median_ms"] / p["baseline_median_ms"]) for p in c["pairs"]]
            judged_by = (threshold or c["threshold"], alpha or c["alpha"], looks or c.get("looks", 1))
            again = verdict(ratios, *judged_by, remaining_spread(c["pairs"], spread)) if ratios else c["verdict"]
            by_test.setdefault((c["workflow"], c["test"]), []).append((c["verdict"], again))
    print(f"| test | as run | judged again, instance spread {spread} |")
    print("|---|---|---|")
    totals = {}
    for (workflow, test), verdicts in by_test.items():
        def count(index):
            counted = {}
            for v in verdicts:
                counted[v[index]] = counted.get(v[index], 0) + 1
            return ", ".join(f"{n} {v}" for v, n in sorted(counted.items()))
        for _, again in verdicts:
            totals[again] = totals.get(again, 0) + 1
        print(f"| {workflow} › {test} | {count(0)} | {count(1)} |")
    print()
    print(f"{sum(totals.values())} comparisons judged again: " + ", ".join(f"{n} {v}" for v, n in sorted(totals.items())))


if __name__ == "__main__":
    main()
