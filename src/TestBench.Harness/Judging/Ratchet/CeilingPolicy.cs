using TestBench.Harness.Measuring;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// The ceilings of a bar: how bars written before statistical verdicts (without a <see cref="ReferenceSample"/>) are
/// still judged, and the readable p50/p95/p99/throughput values every new bar keeps beside its sample. Limits chosen from the run-to-run spread measured on the 2-core CI
/// machine (issue #7's ten-run spread, numbers in <c>docs/benchmarks.md</c>):
/// <list type="bullet">
/// <item>A percentile is only measured when the test makes enough calls for it (<see cref="MinCallsForP95"/>,
/// <see cref="MinCallsForP99"/>); with fewer it is just the slowest call. Throughput likewise
/// (<see cref="MinCallsForThroughput"/>): for a handful of calls it only restates latency.</item>
/// <item>A bar is the measurement plus <see cref="Headroom"/>, so the run that sets it is not the best the
/// machine can do by luck.</item>
/// <item>A latency fails only when it is over its ceiling by more than <see cref="LatencyTolerance"/>
/// <em>and</em> by more than <see cref="AbsoluteToleranceMs"/> (below that, differences are scheduling noise);
/// throughput fails under its floor by more than <see cref="ThroughputTolerance"/>. With the defaults a test
/// fails at 2.5× the latency of the run that set its bar; the widest spread measured (slowest run over fastest,
/// beyond the 10 ms floor) was 2.05×.</item>
/// <item>A bar is raised only when every measure is better by <see cref="RaiseMargin"/>; it never loosens.</item>
/// </list>
/// </summary>
public sealed record CeilingPolicy
{
    /// <value>Default 1.0: more than double the ceiling.</value>
    public double LatencyTolerance { get; init; } = 1.0;

    /// <value>Default 10 ms.</value>
    public double AbsoluteToleranceMs { get; init; } = 10;

    /// <value>Default 0.5 (50 %).</value>
    public double ThroughputTolerance { get; init; } = 0.5;

    /// <value>Default 0.5: every latency at most half its ceiling, throughput 1.5× its floor; that is 37.5 %
    /// better than the run that set the bar, beyond the run-to-run spread of a bar-setting median run.</value>
    public double RaiseMargin { get; init; } = 0.5;

    /// <value>Default 0.25: a ceiling is the measurement + 25 %, a floor − 25 %.</value>
    public double Headroom { get; init; } = 0.25;

    /// <value>Default 20 calls.</value>
    public int MinCallsForP95 { get; init; } = 20;

    /// <value>Default 100 calls.</value>
    public int MinCallsForP99 { get; init; } = 100;

    /// <value>Default 20 calls.</value>
    public int MinCallsForThroughput { get; init; } = 20;

    /// <summary>Compares a measurement with its bar (or with nothing).</summary>
    public RatchetOutcome Check(Bar? bar, LoadResult load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var measured = BarOf(load, headroom: 0);
        if (bar is null)
        {
            return new RatchetOutcome(RatchetVerdict.FirstBar, BarOf(load, Headroom), ["no bar yet: this measurement becomes the first one"]);
        }

        var latencies = Latencies(measured, bar);
        var failures = new List<string>();
        if (measured.SuccessRate < bar.SuccessRate)
        {
            failures.Add($"success rate {measured.SuccessRate:P1} is below the bar of {bar.SuccessRate:P1}");
        }

        foreach (var (name, value, ceiling) in latencies)
        {
            if (value > ceiling * (1 + LatencyTolerance) && value - ceiling > AbsoluteToleranceMs)
            {
                failures.Add($"{name} {value:0.00} ms is over the bar of {ceiling:0.00} ms by more than the tolerance ({LatencyTolerance:P0} and {AbsoluteToleranceMs} ms)");
            }
        }

        var throughput = Both(measured.ThroughputFloor, bar.ThroughputFloor);
        if (throughput is { } t && t.Measured < t.Bar * (1 - ThroughputTolerance))
        {
            failures.Add($"throughput {t.Measured:0.0}/s is under the bar of {t.Bar:0.0}/s by more than {ThroughputTolerance:P0}");
        }

        if (failures.Count > 0)
        {
            return new RatchetOutcome(RatchetVerdict.Regressed, null, failures);
        }

        var clearlyBetter = measured.SuccessRate >= bar.SuccessRate
            && latencies.All(l => l.Value <= l.Ceiling * (1 - RaiseMargin))
            && (throughput is not { } faster || faster.Measured >= faster.Bar * (1 + RaiseMargin));
        if (!clearlyBetter)
        {
            return new RatchetOutcome(RatchetVerdict.Same, null, ["within the bar"]);
        }

        return new RatchetOutcome(RatchetVerdict.Improved, Tighten(bar, Ceilings(load)), [$"better than the bar by at least {RaiseMargin:P0} on every measure"]);
    }

    /// <summary>The bar a measurement sets: its values with <see cref="Headroom"/>.</summary>
    public Bar Ceilings(LoadResult load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return BarOf(load, Headroom);
    }

    /// <summary>Only tightens: each value of the result is at least as strict as the verified one's.</summary>
    public static Bar Tighten(Bar verified, Bar proposed)
    {
        ArgumentNullException.ThrowIfNull(verified);
        ArgumentNullException.ThrowIfNull(proposed);
        return proposed with
        {
            SuccessRate = Math.Max(verified.SuccessRate, proposed.SuccessRate),
            P50Ms = Math.Min(verified.P50Ms, proposed.P50Ms),
            P95Ms = Stricter(verified.P95Ms, proposed.P95Ms, Math.Min),
            P99Ms = Stricter(verified.P99Ms, proposed.P99Ms, Math.Min),
            ThroughputFloor = Stricter(verified.ThroughputFloor, proposed.ThroughputFloor, Math.Max),
        };
    }

    /// <summary>The latencies measured and barred both: a percentile without enough calls is not judged.</summary>
    private static List<(string Name, double Value, double Ceiling)> Latencies(Bar measured, Bar bar)
    {
        var latencies = new List<(string, double, double)> { ("p50", measured.P50Ms, bar.P50Ms) };
        if (Both(measured.P95Ms, bar.P95Ms) is var (p95, p95Ceiling))
        {
            latencies.Add(("p95", p95, p95Ceiling));
        }

        if (Both(measured.P99Ms, bar.P99Ms) is var (p99, p99Ceiling))
        {
            latencies.Add(("p99", p99, p99Ceiling));
        }

        return latencies;
    }

    private static (double Measured, double Bar)? Both(double? measured, double? bar) =>
        measured is { } m && bar is { } b ? (m, b) : null;

    /// <summary>A measure the verified bar lacks is taken as proposed; one the run could not measure is kept.</summary>
    private static double? Stricter(double? verified, double? proposed, Func<double, double, double> pick) =>
        verified is { } v && proposed is { } p ? pick(v, p) : verified ?? proposed;

    private Bar BarOf(LoadResult load, double headroom) => new()
    {
        SuccessRate = Math.Round(load.SuccessRate, 4),
        P50Ms = Math.Round(load.P50 * 1000 * (1 + headroom), 3),
        P95Ms = load.Calls >= MinCallsForP95 ? Math.Round(load.P95 * 1000 * (1 + headroom), 3) : null,
        P99Ms = load.Calls >= MinCallsForP99 ? Math.Round(load.P99 * 1000 * (1 + headroom), 3) : null,
        ThroughputFloor = load.Calls >= MinCallsForThroughput ? Math.Round(load.Throughput * (1 - headroom), 2) : null,
    };
}
