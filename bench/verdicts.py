"""Tabulates benchmark results of repeated runs (standard library only).

  python3 bench/verdicts.py count RESULTS.json...
      per test: how many runs judged it regressed / same / improved / inconclusive (and how many of those on a
      noisy machine), and the spread of its run medians.
  python3 bench/verdicts.py noise WORKFLOWS_DIR RESULTS.json...
      per test: the run-to-run noise (slowest run median over the fastest, highest run throughput over the
      lowest, each minus one), written as the "noise" of each test into <workflow>.ratchet.received.json beside
      the verified bar file, to be accepted with mv like any bar; a test's noise only ever widens (runs add up). Export measures (one value per run) get the
      median of the runs as their bar value and their spread (highest over lowest, minus one) as their noise.
      Each test's reference sample becomes the pooled sample of all the runs — latency: 1000 evenly spaced order
      statistics of the runs' merged histograms; throughput: every run's trial throughputs — so the bar stands for
      a typical run rather than whichever single run was accepted.
  python3 bench/verdicts.py wake RESULTS.json... [-- HOLDOUT_RESULTS.json...]
      does the wake-up probe explain run-to-run drift? Per run: the median over its tests of the noise reading's
      wake_median_ms, and the run's mean deviation of log p50 over all tests (its "run effect"); per test: the
      correlation of log p50 with the run's log wake median, and the spread of log p50 (standard deviation over the
      runs) before and after removing a least-squares line in it. With holdout runs after "--": the line fitted on
      the first runs predicts each holdout run's log p50 from its wake-up median; the table gives the holdout's
      root-mean-square deviation from the first runs' mean log p50, before and after that prediction.
  python3 bench/verdicts.py wake-power UNCHANGED_RESULTS.json... -- SLOWED_RESULTS.json...
      what judging by run medians could detect, without and with the wake-up adjustment: per test, the threshold
      the unchanged runs need (their largest deviation of log p50 from their mean, raw or after removing the
      wake-up line fitted on them) and how many slowed runs exceed it (their shift from the unchanged mean, raw or
      adjusted by the same line). An estimate from run medians, not the harness's verdicts.
  python3 bench/verdicts.py detectable WORKFLOWS_DIR UNCHANGED_RESULTS.json... -- SLOWED_RESULTS.json...
      the smallest slowdown each test's bar detects in at least 95 % of runs, by resampling the recorded runs: a run
      is judged regressed when its p50 passes the bar's reference median plus the practical threshold (the larger of
      the policy's 10 % and the bar's noise, at least 0.1 ms; runs the noise guard found disturbed are left out, as
      they are not judged), so a slowdown s (of the end-to-end call) is detected in 95 % of runs when (1 + s) times
      the unchanged runs' 5th-percentile p50 passes it. The slowed runs (one TESTBENCH_LOCAL_SLOWDOWN factor, given
      as SLOWDOWN=F, default 1.2) tell how much of a call the hook slows (the server's share); the table turns s into
      the hook factor that would be needed. Beside it, the floor any judge has on this machine: with run-to-run drift
      sd σ of log p50, ≤ 1 % false alarms and ≥ 95 % detection need a shift of (2.326 + 1.645)·σ even against a
      perfectly centred reference.
  python3 bench/verdicts.py targets RESULTS.json...
      per workflow test: the same test on each target side by side — median over the runs of p50, p99 and calls/s,
      with the runs' [min, max] of p50 — from runs whose calls all succeeded.
"""
import json
import os
import statistics
import sys

VERDICTS = ["regressed", "same", "improved", "inconclusive", "first_bar"]


def bars_name(record):
    """Whose bar file a measurement is judged against: <workflow> on the Algorithmia-style targets, <workflow>.<target>
    on another (hello_world.racetrack), as the harness's ApprovalFiles.BarsName."""
    target = record.get("target") or "local"
    return record["workflow"] if target in ("local", "algorithmia") else f'{record["workflow"]}.{target}'


def load(paths):
    runs = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            for m in json.load(file)["measurements"]:
                runs.setdefault((bars_name(m), m["test"]), []).append(m)
    return runs


def count(paths):
    runs = load(paths)
    print(f"{len(paths)} runs\n")
    print("| workflow › test | runs | regressed | same | improved | inconclusive (noisy) | p50 ms median [min, max] | trials median |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    totals = dict.fromkeys(VERDICTS, 0)
    for (workflow, test), ms in sorted(runs.items()):
        tally = dict.fromkeys(VERDICTS, 0)
        noisy = 0
        for m in ms:
            judgement = m.get("judgement") or {}
            verdict = judgement.get("verdict", "not judged")
            tally[verdict] = tally.get(verdict, 0) + 1
            noisy += 1 if judgement.get("noise_guarded") else 0
        for v in VERDICTS:
            totals[v] += tally[v]
        p50s = [m["load"]["p50"] * 1000 for m in ms]
        trials = statistics.median(m["load"].get("trials", 1) for m in ms)
        print(f"| {workflow} › {test} | {len(ms)} | {tally['regressed']} | {tally['same']} | {tally['improved']} "
              f"| {tally['inconclusive']} ({noisy}) | {statistics.median(p50s):.2f} [{min(p50s):.2f}, {max(p50s):.2f}] | {trials:.0f} |")
    judged = sum(totals.values())
    print(f"\nall: {judged} judged comparisons: " + ", ".join(f"{totals[v]} {v}" for v in VERDICTS))


def load_exports(paths):
    exports = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            run = json.load(file)
        for export in run.get("exports") or []:
            for m in export["measures"]:
                exports.setdefault((bars_name(export), export["algorithm"], m["name"]), []).append((m, export["at"]))
    return exports


def export_bars(paths):
    """Per workflow, algorithm and measure: the median of the runs' values as the bar, their spread as its noise."""
    print("\n| workflow › export of › measure | median [min, max] | spread |")
    print("|---|---|---:|")
    bars = {}
    for (workflow, algorithm, name), values in sorted(load_exports(paths).items()):
        numbers = [m["value"] for m, _ in values]
        spread = max(numbers) / min(numbers) - 1 if min(numbers) > 0 else 0
        first, at = values[0]
        print(f"| {workflow} › {algorithm} › {name} | {statistics.median(numbers):.3f} [{min(numbers):.3f}, {max(numbers):.3f}] {first['unit']} | {spread:.0%} |")
        bars.setdefault(workflow, {}).setdefault(algorithm, {})[name] = {
            "unit": first["unit"], "higher_is_better": first["unit"] == "MB/s", "value": round(statistics.median(numbers), 3),
            "measured_at": at, "noise": round(spread, 3), "runs": len(numbers)}
    return bars


def pooled_reference(ms, previous):
    """The reference sample of several runs: their merged latency histograms and all their trial throughputs."""
    buckets = {}
    for m in ms:
        for value, count in m["load"]["histogram"]["buckets"]:
            buckets[value] = buckets.get(value, 0) + count
    values = [v for v, c in sorted(buckets.items()) for _ in range(c)]
    kept = [values[round(i * (len(values) - 1) / 999)] for i in range(1000)] if len(values) > 1000 else values
    reference = dict(previous or {})
    reference["latency_ms"] = [round(v / 1000, 3) for v in kept]
    throughputs = [t for m in ms for t in m["load"].get("trial_throughputs") or []]
    if previous and previous.get("throughput") is not None and throughputs:
        reference["throughput"] = sorted(throughputs)
    reference["trials"] = sum(m["load"].get("trials", 1) for m in ms)
    reference["calls"] = sum(m["load"]["calls"] for m in ms)
    reference["measured_at"] = max(m["at"] for m in ms)
    return reference


def noise(workflows, paths):
    # A run whose calls failed measured a failure, not the test's spread: it sets neither noise nor reference.
    runs = {key: [m for m in ms if m.get("succeeded", True)] for key, ms in load(paths).items()}
    runs = {key: ms for key, ms in runs.items() if len(ms) >= 2}
    print(f"{len(paths)} runs\n")
    print("| workflow › test | p50 ms [min, max] | latency noise | calls/s [min, max] | throughput noise |")
    print("|---|---|---:|---|---:|")
    by_workflow = {}
    for (workflow, test), ms in sorted(runs.items()):
        p50s = [m["load"]["p50"] * 1000 for m in ms]
        latency = max(p50s) / min(p50s) - 1
        entry = {"latency": round(latency, 3), "runs": len(ms)}
        line = f"| {workflow} › {test} | [{min(p50s):.2f}, {max(p50s):.2f}] | {latency:.0%} "
        # Throughput is judged only for trials of 20 calls or more (VerdictPolicy.MinCallsForThroughput).
        if all(m["load"]["calls"] / max(1, m["load"].get("trials", 1)) >= 20 for m in ms):
            rates = [m["load"]["throughput"] for m in ms]
            entry["throughput"] = round(max(rates) / min(rates) - 1, 3)
            line += f"| [{min(rates):.0f}, {max(rates):.0f}] | {entry['throughput']:.0%} |"
        else:
            line += "| – | – |"
        print(line)
        by_workflow.setdefault(workflow, {})[test] = (entry, ms)

    exports = export_bars(paths)
    for workflow in sorted(set(by_workflow) | set(exports)):
        tests = by_workflow.get(workflow, {})
        verified = os.path.join(workflows, f"{workflow}.ratchet.json")
        if not os.path.exists(verified):
            print(f"{verified}: no verified bars to add noise to; accept a first bar, then measure again")
            continue
        with open(verified, encoding="utf-8") as file:
            document = json.load(file)
        for test, (entry, ms) in tests.items():
            if test in document["tests"]:
                # The spread of 10 runs is itself a noisy estimate (64 % in one set, 133 % in another for the same
                # test): a new measurement widens a test's noise but never narrows it.
                previous = document["tests"][test].get("noise") or {}
                for measure in ("latency", "throughput"):
                    if measure in entry and previous.get(measure, 0) > entry[measure]:
                        entry[measure] = previous[measure]
                entry["runs"] = entry["runs"] + previous.get("runs", 0)
                document["tests"][test]["noise"] = entry
                if all("histogram" in m["load"] for m in ms):
                    document["tests"][test]["reference"] = pooled_reference(ms, document["tests"][test].get("reference"))
        machine = (document.get("calibration") or {}).get("machine", "unknown")
        for algorithm, measures in exports.get(workflow, {}).items():
            for name, bar in measures.items():
                document.setdefault("exports", {}).setdefault(algorithm, {})[name] = {**bar, "machine": machine}
        received = os.path.join(workflows, f"{workflow}.ratchet.received.json")
        with open(received, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=2, ensure_ascii=False)
            file.write("\n")
        print(f"written {received}; accept it with: mv {received} {verified}")


def targets(paths):
    by_test = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            for m in json.load(file)["measurements"]:
                if m["succeeded"]:
                    by_test.setdefault((m["workflow"], m["test"]), {}).setdefault(m.get("target") or "local", []).append(m["load"])
    print(f"{len(paths)} runs\n")
    print("| workflow › test | target | runs | p50 ms median [min, max] | p99 ms median | calls/s median |")
    print("|---|---|---:|---|---:|---:|")
    for (workflow, test), per_target in sorted(by_test.items()):
        for target, loads in sorted(per_target.items()):
            p50s = [load["p50"] * 1000 for load in loads]
            print(f"| {workflow} › {test} | {target} | {len(loads)} | {statistics.median(p50s):.2f} [{min(p50s):.2f}, {max(p50s):.2f}] "
                  f"| {statistics.median(load['p99'] * 1000 for load in loads):.2f} | {statistics.median(load['throughput'] for load in loads):.1f} |")


def wake_runs(paths):
    """Per run, the median of its tests' wake-up readings; per test, log p50 by run index."""
    import math

    p50, wakes = {}, []
    for index, path in enumerate(paths):
        with open(path, encoding="utf-8") as file:
            measurements = json.load(file)["measurements"]
        readings = [r for r in (((m.get("judgement") or {}).get("noise") or {}).get("wake_median_ms") for m in measurements) if r]
        if not readings:
            sys.exit(f"{path} has no wake_median_ms: measured before the wake-up probe existed")
        wakes.append(math.log(statistics.median(readings)))
        for m in measurements:
            if m["succeeded"]:
                p50.setdefault(f'{bars_name(m)} › {m["test"]}', {})[index] = math.log(m["load"]["p50"])
    return wakes, {test: [values[i] for i in range(len(paths))] for test, values in p50.items() if len(values) == len(paths)}


def wake_power(paths):
    import math

    unchanged_paths, slowed_paths = paths[:paths.index("--")], paths[paths.index("--") + 1:]
    ux, up50 = wake_runs(unchanged_paths)
    sx, sp50 = wake_runs(slowed_paths)
    mx = statistics.mean(ux)
    print(f"{len(unchanged_paths)} unchanged runs, {len(slowed_paths)} slowed runs\n")
    print("| workflow › test | slowed shift (median) | raw: threshold, detected | adjusted: threshold, detected | slope |")
    print("|---|---:|---|---|---:|")
    for test, y in sorted(up50.items()):
        if test not in sp50:
            continue
        my = statistics.mean(y)
        slope = sum((xi - mx) * (yi - my) for xi, yi in zip(ux, y)) / sum((xi - mx) ** 2 for xi in ux)
        raw_threshold = max(abs(yi - my) for yi in y)
        adjusted_threshold = max(abs(yi - my - slope * (xi - mx)) for xi, yi in zip(ux, y))
        raw = [yi - my for yi in sp50[test]]
        adjusted = [yi - my - slope * (xi - mx) for xi, yi in zip(sx, sp50[test])]
        shift = math.exp(statistics.median(raw)) - 1
        print(f"| {test} | {shift:+.0%} | {math.exp(raw_threshold) - 1:.0%}, {sum(r > raw_threshold for r in raw)}/{len(raw)} "
              f"| {math.exp(adjusted_threshold) - 1:.0%}, {sum(a > adjusted_threshold for a in adjusted)}/{len(adjusted)} | {slope:.2f} |")


def wake(paths):
    import math

    def correlation(a, b):
        ma, mb = statistics.mean(a), statistics.mean(b)
        sa, sb = math.sqrt(sum((x - ma) ** 2 for x in a)), math.sqrt(sum((y - mb) ** 2 for y in b))
        return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / (sa * sb) if sa and sb else float("nan")

    fit_paths, holdout_paths = (paths[:paths.index("--")], paths[paths.index("--") + 1:]) if "--" in paths else (paths, [])
    x, p50 = wake_runs(fit_paths)
    runs = range(len(fit_paths))
    effect = [statistics.mean(p50[test][i] - statistics.mean(p50[test]) for test in p50) for i in runs]
    print(f"{len(fit_paths)} runs\n\n| run | wake-up median ms | run effect (mean Δ log p50) |\n|---:|---:|---:|")
    for i in runs:
        print(f"| {i + 1} | {math.exp(x[i]):.4f} | {effect[i]:+.3f} |")
    print(f"\ncorrelation of the runs' log wake-up median with their run effect: {correlation(x, effect):.2f}\n")
    print("| workflow › test | correlation with log wake-up | sd(log p50) | sd after removing the wake-up line | slope |")
    print("|---|---:|---:|---:|---:|")
    mx = statistics.mean(x)
    lines = {}
    for test, y in sorted(p50.items()):
        my = statistics.mean(y)
        slope = sum((xi - mx) * (yi - my) for xi, yi in zip(x, y)) / sum((xi - mx) ** 2 for xi in x)
        lines[test] = (my, slope)
        residual = [yi - my - slope * (xi - mx) for xi, yi in zip(x, y)]
        print(f"| {test} | {correlation(x, y):+.2f} | {statistics.pstdev(y):.3f} | {statistics.pstdev(residual):.3f} | {slope:.2f} |")
    if not holdout_paths:
        return
    hx, hp50 = wake_runs(holdout_paths)
    print(f"\nholdout: {len(holdout_paths)} runs, wake-up medians {', '.join(f'{math.exp(v):.4f}' for v in hx)} ms\n")
    print("| workflow › test | rms Δ log p50 from the fit runs' mean | after predicting from the wake-up |")
    print("|---|---:|---:|")
    for test, y in sorted(hp50.items()):
        if test in lines:
            my, slope = lines[test]
            before = math.sqrt(statistics.mean((yi - my) ** 2 for yi in y))
            after = math.sqrt(statistics.mean((yi - my - slope * (xi - mx)) ** 2 for xi, yi in zip(hx, y)))
            print(f"| {test} | {before:.3f} | {after:.3f} |")


def disturbed(measurement):
    return bool((((measurement.get("judgement") or {}).get("noise")) or {}).get("disturbed"))


def detectable(workflows, paths):
    import math

    unchanged_paths, slowed_paths = paths[:paths.index("--")], paths[paths.index("--") + 1:]
    factor = float(os.environ.get("SLOWDOWN", "1.2"))
    unchanged, slowed = load(unchanged_paths), load(slowed_paths)
    print(f"{len(unchanged_paths)} unchanged runs, {len(slowed_paths)} runs slowed {factor}× by the hook\n")
    print("| workflow › test | threshold | unchanged p50 / reference median: 5th pct [min, max] | hook {0}×: call shift (server share) "
          "| detected ≥ 95 %: call slowdown, hook factor | run drift σ | any judge's floor: call slowdown |".format(factor))
    print("|---|---:|---|---|---|---:|---:|")
    bar_files = {}
    for (name, test), ms in sorted(unchanged.items()):
        if (name, test) not in slowed or name != ms[0]["workflow"]:
            continue  # the hook slows the local destination only
        if name not in bar_files:
            with open(os.path.join(workflows, f"{name}.ratchet.json"), encoding="utf-8") as file:
                bar_files[name] = json.load(file)["tests"]
        bar = bar_files[name].get(test)
        if not bar or not bar.get("reference"):
            continue
        reference = statistics.median(bar["reference"]["latency_ms"])
        threshold = max(0.10, (bar.get("noise") or {}).get("latency", 0))
        limit = reference + max(threshold * reference, 0.1)
        # A run the noise guard found disturbed is not judged, so it is no evidence of what a judged run does.
        p50 = sorted(m["load"]["p50"] * 1000 for m in ms if m["succeeded"] and not disturbed(m))
        fifth = p50[max(0, math.ceil(0.05 * len(p50)) - 1)]
        needed = limit / fifth - 1
        shift = statistics.median(m["load"]["p50"] * 1000 for m in slowed[(name, test)] if m["succeeded"]) / statistics.median(p50) - 1
        share = shift / (factor - 1)
        hook = f"{1 + needed / share:.1f}×" if share > 0.05 else "—"
        sigma = statistics.pstdev(math.log(v) for v in p50)
        floor = math.exp((2.326 + 1.645) * sigma) - 1
        print(f"| {name} › {test} | {threshold:.0%} | {fifth / reference:.2f} [{p50[0] / reference:.2f}, {p50[-1] / reference:.2f}] "
              f"| {shift:+.0%} ({share:.0%}) | {needed:+.0%}, {hook} | {sigma:.3f} | {floor:+.0%} |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "count":
        count(sys.argv[2:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "wake-power" and "--" in sys.argv:
        wake_power(sys.argv[2:])
    elif len(sys.argv) >= 6 and sys.argv[1] == "detectable" and "--" in sys.argv:
        detectable(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "wake":
        wake(sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "targets":
        targets(sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "noise":
        noise(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
