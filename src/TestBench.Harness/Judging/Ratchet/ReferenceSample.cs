using TestBench.Harness.Measuring;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// The evidence behind a bar: the accepted run's latencies (every call's, thinned to at most <see cref="MaxValues"/>
/// evenly spaced order statistics, which keeps the distribution's shape) and per-trial throughputs, with when,
/// where and how much was measured. New samples are compared with it, not with a single number.
/// </summary>
public sealed record ReferenceSample
{
    /// <value>1000 values: percentiles to 0.1 %, a bar file of a few dozen KiB.</value>
    public const int MaxValues = 1000;

    /// <summary>Latencies in milliseconds, ascending.</summary>
    public required IReadOnlyList<double> LatencyMs { get; init; }

    /// <summary>Successful calls per second of each trial; <see langword="null"/> when trials were too small to measure it.</summary>
    public IReadOnlyList<double>? Throughput { get; init; }

    public required int Trials { get; init; }

    public required long Calls { get; init; }

    public required DateTimeOffset MeasuredAt { get; init; }

    public string? Commit { get; init; }

    /// <summary>The <see cref="MachineFingerprint"/> of the machine that measured it.</summary>
    public required string Machine { get; init; }

    /// <param name="sample">The run's sample.</param>
    /// <param name="run">Where and when it was measured.</param>
    /// <param name="withThroughput">Whether the trials were large enough to measure throughput.</param>
    public static ReferenceSample From(TestSample sample, RunIdentity run, bool withThroughput)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(run);
        return new ReferenceSample
        {
            LatencyMs = Thin(sample.LatenciesMs),
            Throughput = withThroughput ? [.. sample.TrialThroughputs.Select(t => Math.Round(t, 2))] : null,
            Trials = sample.Trials.Count,
            Calls = sample.Calls,
            MeasuredAt = run.At,
            Commit = run.Commit,
            Machine = run.Machine,
        };
    }

    /// <summary>Sorted values, rounded to the microsecond; more than <paramref name="max"/> become that many evenly spaced order statistics.</summary>
    public static IReadOnlyList<double> Thin(IReadOnlyList<double> values, int max = MaxValues)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var sorted = values.Order().ToArray();
        var kept = sorted.Length <= max
            ? sorted
            : Enumerable.Range(0, max).Select(i => sorted[(int)Math.Round((double)i * (sorted.Length - 1) / (max - 1))]);
        return [.. kept.Select(v => Math.Round(v, 3))];
    }
}
