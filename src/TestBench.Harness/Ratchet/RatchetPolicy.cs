using TestBench.Harness.Benchmark;

namespace TestBench.Harness.Ratchet;

/// <summary>
/// How measurements are held to bars. These shared 2-core machines are noisy: a latency fails only when it is
/// worse than its ceiling by more than <see cref="LatencyTolerance"/> <em>and</em> by more than
/// <see cref="AbsoluteToleranceMs"/>; throughput fails below its floor by more than <see cref="ThroughputTolerance"/>.
/// A bar is raised only when every measure is better by at least <see cref="RaiseMargin"/>, and then only to
/// the measurement plus <see cref="Headroom"/>, so one lucky run cannot set a bar the next ordinary run fails.
/// Bars never loosen by themselves.
/// </summary>
public sealed record RatchetPolicy
{
    /// <value>Default 0.5 (50 %).</value>
    public double LatencyTolerance { get; init; } = 0.5;

    /// <value>Default 2 ms.</value>
    public double AbsoluteToleranceMs { get; init; } = 2;

    /// <value>Default 0.5 (50 %).</value>
    public double ThroughputTolerance { get; init; } = 0.5;

    /// <value>Default 0.3: every measure at least 30 % better.</value>
    public double RaiseMargin { get; init; } = 0.3;

    /// <value>Default 0.1: a raised ceiling is the measurement + 10 % (a floor − 10 %).</value>
    public double Headroom { get; init; } = 0.1;

    /// <summary>Compares a measurement with its bar (or with nothing).</summary>
    public RatchetOutcome Check(Bar? bar, LoadResult load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var measured = BarOf(load, headroom: 0);
        if (bar is null)
        {
            return new RatchetOutcome(RatchetVerdict.FirstBar, BarOf(load, Headroom), ["no bar yet: this measurement becomes the first one"]);
        }

        var failures = new List<string>();
        if (measured.SuccessRate < bar.SuccessRate)
        {
            failures.Add($"success rate {measured.SuccessRate:P1} is below the bar of {bar.SuccessRate:P1}");
        }

        foreach (var (name, value, ceiling) in Latencies(measured, bar))
        {
            if (value > ceiling * (1 + LatencyTolerance) && value - ceiling > AbsoluteToleranceMs)
            {
                failures.Add($"{name} {value:0.00} ms is over the bar of {ceiling:0.00} ms by more than the tolerance ({LatencyTolerance:P0} and {AbsoluteToleranceMs} ms)");
            }
        }

        if (measured.ThroughputFloor < bar.ThroughputFloor * (1 - ThroughputTolerance))
        {
            failures.Add($"throughput {measured.ThroughputFloor:0.0}/s is under the bar of {bar.ThroughputFloor:0.0}/s by more than {ThroughputTolerance:P0}");
        }

        if (failures.Count > 0)
        {
            return new RatchetOutcome(RatchetVerdict.Failed, null, failures);
        }

        var clearlyBetter = measured.SuccessRate >= bar.SuccessRate
            && Latencies(measured, bar).All(l => l.Value <= l.Ceiling * (1 - RaiseMargin))
            && measured.ThroughputFloor >= bar.ThroughputFloor * (1 + RaiseMargin);
        if (!clearlyBetter)
        {
            return new RatchetOutcome(RatchetVerdict.Held, null, ["within the bar"]);
        }

        // Only tighten: each value of the raised bar is at least as strict as the verified one.
        var proposed = BarOf(load, Headroom);
        var raised = new Bar
        {
            SuccessRate = Math.Max(bar.SuccessRate, proposed.SuccessRate),
            P50Ms = Math.Min(bar.P50Ms, proposed.P50Ms),
            P95Ms = Math.Min(bar.P95Ms, proposed.P95Ms),
            P99Ms = Math.Min(bar.P99Ms, proposed.P99Ms),
            ThroughputFloor = Math.Max(bar.ThroughputFloor, proposed.ThroughputFloor),
        };
        return new RatchetOutcome(RatchetVerdict.Raised, raised, [$"better than the bar by at least {RaiseMargin:P0} on every measure"]);
    }

    private static (string Name, double Value, double Ceiling)[] Latencies(Bar measured, Bar bar) =>
        [("p50", measured.P50Ms, bar.P50Ms), ("p95", measured.P95Ms, bar.P95Ms), ("p99", measured.P99Ms, bar.P99Ms)];

    private static Bar BarOf(LoadResult load, double headroom) => new()
    {
        SuccessRate = Math.Round(load.SuccessRate, 4),
        P50Ms = Math.Round(load.P50 * 1000 * (1 + headroom), 3),
        P95Ms = Math.Round(load.P95 * 1000 * (1 + headroom), 3),
        P99Ms = Math.Round(load.P99 * 1000 * (1 + headroom), 3),
        ThroughputFloor = Math.Round(load.Throughput * (1 - headroom), 2),
    };
}
