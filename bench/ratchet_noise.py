"""Spread of each measure across benchmark runs: prints a Markdown table (standard library only).

Usage: python3 bench/ratchet_noise.py RESULTS.json...
Only measures the ratchet judges for the test's call count are shown (p95 from 20 calls, p99 from 100,
throughput from 20), matching RatchetPolicy's defaults.
"""
import json
import statistics
import sys

MIN_CALLS = {"p50": 1, "p95": 20, "p99": 100, "throughput": 20}


def main(paths):
    series = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            for m in json.load(file)["measurements"]:
                load = m["load"]
                values = series.setdefault((m["workflow"], m["test"], load["calls"]), {})
                for measure in MIN_CALLS:
                    scale = 1 if measure == "throughput" else 1000
                    values.setdefault(measure, []).append(load[measure] * scale)

    print(f"{len(paths)} runs\n")
    print("| workflow › test | calls | measure | median | min | max | max/min |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (workflow, test, calls), values in sorted(series.items()):
        for measure, xs in values.items():
            if calls < MIN_CALLS[measure]:
                continue
            unit = "/s" if measure == "throughput" else " ms"
            print(f"| {workflow} › {test} | {calls} | {measure} | {statistics.median(xs):.2f}{unit} "
                  f"| {min(xs):.2f} | {max(xs):.2f} | {max(xs) / min(xs):.2f} |")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: ratchet_noise.py RESULTS.json RESULTS.json...")
    main(sys.argv[1:])
