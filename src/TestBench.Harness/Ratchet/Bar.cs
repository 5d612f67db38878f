namespace TestBench.Harness.Ratchet;

/// <summary>The verified bar of one test: what the platform has shown it can do, and must keep doing.</summary>
public sealed record Bar
{
    /// <summary>Lowest acceptable share of successful calls, 0..1.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>Latency ceilings in milliseconds, at p50, p95 and p99.</summary>
    public required double P50Ms { get; init; }

    public required double P95Ms { get; init; }

    public required double P99Ms { get; init; }

    /// <summary>Lowest acceptable throughput, successful calls per second.</summary>
    public required double ThroughputFloor { get; init; }
}
