namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// The verified bar of one test: what the platform has shown it can do, and must keep doing — a reference sample
/// and, readable beside it, its ceilings. A ceiling is <see langword="null"/> when the test makes too few calls to
/// measure it (see <see cref="CeilingPolicy"/>).
/// </summary>
public sealed record Bar
{
    /// <summary>Lowest acceptable share of successful calls, 0..1.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>Latency ceilings in milliseconds, at p50, p95 and p99.</summary>
    public required double P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    /// <summary>Lowest acceptable throughput, successful calls per second.</summary>
    public double? ThroughputFloor { get; init; }

    /// <summary>The accepted run's sample: what new runs are compared with. <see langword="null"/> in bar files
    /// written before statistical verdicts, which are judged by their ceilings (<see cref="CeilingPolicy"/>).</summary>
    public ReferenceSample? Reference { get; init; }

    /// <summary>The test's measured run-to-run drift; <see langword="null"/> until <c>bench/verdicts.sh noise</c> measured it.</summary>
    public RunToRunNoise? Noise { get; init; }
}
