"""Tabulates the Wallaroo task timings the benchmark's case output carries (see bench/wallaroo.sh).

Each Wallaroo benchmark case prints a line "Wallaroo task runs (N, …): start latency (… → its code's first log line)
p50 A ms, p99 B ms; run latency (…) p50 …, p99 …; log lag (…) p50 …, p99 …". Those are per test; this script
reports them per run and test, and — since the per-run values are percentiles already — the median of each column
across runs with its range (min..max) as the spread.
"""
import re
import statistics
import sys
import xml.etree.ElementTree as ElementTree

LINE = re.compile(
    r"Wallaroo task runs \((?P<n>\d+)[^)]*\): start latency \((?P<origin>[^→]+)→[^)]*\) p50 (?P<s50>[\d.]+) ms, p99 (?P<s99>[\d.]+) ms; "
    r"run latency \([^)]*\) p50 (?P<r50>[\d.]+) ms, p99 (?P<r99>[\d.]+) ms; "
    r"log lag \([^)]*\) p50 (?P<l50>[\d.]+) ms, p99 (?P<l99>[\d.]+) ms")
COLUMNS = ["s50", "s99", "r50", "r99", "l50", "l99"]


def cases(trx):
    namespace = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
    for result in ElementTree.parse(trx).getroot().iterfind(".//t:UnitTestResult", namespace):
        output = result.find("t:Output/t:StdOut", namespace)
        for match in LINE.finditer(output.text if output is not None and output.text else ""):
            yield result.get("testName"), match


def main(files):
    rows = {}
    for run, trx in enumerate(sorted(files), 1):
        for name, match in cases(trx):
            rows.setdefault(name, []).append((run, match))
    if not rows:
        sys.exit("no Wallaroo timing lines in %s" % ", ".join(files))
    print("| test | run | task runs | start p50 ms | start p99 ms | run p50 ms | run p99 ms | log lag p50 ms | log lag p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, found in sorted(rows.items()):
        for run, match in found:
            print("| %s | %d | %s | %s |" % (name, run, match["n"], " | ".join(match[c] for c in COLUMNS)))
        if len(found) > 1:
            cells = []
            for column in COLUMNS:
                values = [float(match[column]) for _, match in found]
                cells.append("%.1f (%.1f..%.1f)" % (statistics.median(values), min(values), max(values)))
            print("| %s | median (range) of %d runs | %d | %s |" % (name, len(found), sum(int(m["n"]) for _, m in found), " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1:])
