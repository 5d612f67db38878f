using System.Text.Json.Serialization;
using TestBench.Harness.Histograms;

namespace TestBench.Harness.Measuring;

/// <summary>What a test measured: counts, throughput, exact latency percentiles (seconds), the latency histogram and
/// the per-second timeline.</summary>
public sealed record LoadResult
{
    /// <summary>Calls answered (warm-up calls excluded).</summary>
    public required long Calls { get; init; }

    /// <summary>Calls answered with an error other than 429.</summary>
    public required long Errors { get; init; }

    /// <summary>Calls answered 429 Too Many Requests.</summary>
    public long Throttled { get; init; }

    /// <summary>Open-model calls never sent (the cap of calls in flight, or a generator that fell behind).</summary>
    public long Dropped { get; init; }

    /// <summary>How many trials the calls were made in. <value>Default 1.</value></summary>
    public int Trials { get; init; } = 1;

    /// <summary>Successful calls per second of the measured phase.</summary>
    public required double Throughput { get; init; }

    public required double P50 { get; init; }

    public required double P90 { get; init; }

    public required double P95 { get; init; }

    public required double P99 { get; init; }

    public double P999 { get; init; }

    public required double Max { get; init; }

    /// <summary>The first error message, when there were errors.</summary>
    public string? FirstError { get; init; }

    /// <summary>Every answered call's latency, mergeable with other runs' (absent in results written before it existed).</summary>
    [JsonConverter(typeof(LatencyHistogramJsonConverter))]
    public LatencyHistogram? Histogram { get; init; }

    /// <summary>Each trial's throughput (successful calls per second), so several runs' trials can be pooled.</summary>
    public IReadOnlyList<double> TrialThroughputs { get; init; } = [];

    /// <summary>Second by second, for a test that ran at least two seconds; otherwise empty.</summary>
    public IReadOnlyList<LoadSecond> Timeline { get; init; } = [];

    /// <summary>Calls that did not succeed: errors, 429s and dropped calls.</summary>
    public long Failures => Errors + Throttled + Dropped;

    /// <summary>Calls that succeeded, as a fraction of all calls scheduled or made.</summary>
    public double SuccessRate => Calls + Dropped == 0 ? 0 : (double)(Calls - Errors - Throttled) / (Calls + Dropped);

    public string Describe() =>
        $"{Calls} calls{(Trials > 1 ? $" in {Trials} trials" : "")}, {Errors} errors{(Throttled > 0 ? $", {Throttled} throttled (429)" : "")}"
        + $"{(Dropped > 0 ? $", {Dropped} dropped" : "")}, {Throughput:0.0} calls/s; latency p50 {Ms(P50)}, p90 {Ms(P90)}, p95 {Ms(P95)}, p99 {Ms(P99)}, "
        + (Calls >= 1000 ? $"p99.9 {Ms(P999)}, " : "") + $"max {Ms(Max)}" + (FirstError is null ? "" : $"; first error: {FirstError}");

    /// <summary>Why a test whose calls did not all succeed failed, in one sentence: how many of how many calls failed, and
    /// how (errors, 429s, calls never sent), then the first error — a benchmark call is never retried, so each counts.</summary>
    public string DescribeFailures()
    {
        if (Calls + Dropped == 0)
        {
            return "no call was made";
        }

        var how = new List<string>(3);
        if (Errors > 0)
        {
            how.Add($"{Errors} answered with an error or not at all");
        }

        if (Throttled > 0)
        {
            how.Add($"{Throttled} throttled (429)");
        }

        if (Dropped > 0)
        {
            how.Add($"{Dropped} never sent");
        }

        return $"{Failures} of {Calls + Dropped} calls failed ({string.Join(", ", how)}; benchmark calls are not retried)"
            + (FirstError is null ? "" : $"; the first: {FirstError}");
    }

    private static string Ms(double seconds) => $"{seconds * 1000:0.0} ms";
}
