namespace TestBench.Harness.Benchmark;

/// <summary>What a load-shaped test measured: counts, throughput and latency percentiles (seconds).</summary>
public sealed record LoadResult
{
    /// <summary>Calls counted (warm-up calls excluded).</summary>
    public required long Calls { get; init; }

    public required long Errors { get; init; }

    /// <summary>How many trials the calls were made in. <value>Default 1.</value></summary>
    public int Trials { get; init; } = 1;

    /// <summary>Successful calls per second of the measured phase.</summary>
    public required double Throughput { get; init; }

    public required double P50 { get; init; }

    public required double P90 { get; init; }

    public required double P95 { get; init; }

    public required double P99 { get; init; }

    public required double Max { get; init; }

    /// <summary>The first error message, when there were errors.</summary>
    public string? FirstError { get; init; }

    /// <summary>Calls that succeeded, as a fraction of all calls.</summary>
    public double SuccessRate => Calls == 0 ? 0 : (double)(Calls - Errors) / Calls;

    public string Describe() =>
        $"{Calls} calls{(Trials > 1 ? $" in {Trials} trials" : "")}, {Errors} errors, {Throughput:0.0} calls/s; latency p50 {P50 * 1000:0.0} ms, p90 {P90 * 1000:0.0} ms, "
        + $"p95 {P95 * 1000:0.0} ms, p99 {P99 * 1000:0.0} ms, max {Max * 1000:0.0} ms" + (FirstError is null ? "" : $"; first error: {FirstError}");
}
