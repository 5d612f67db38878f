namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// How far a test's unchanged runs drift apart on the machine that judges it, measured by <c>bench/verdicts.sh noise</c>:
/// the slowest run's median latency over the fastest's, and the highest run throughput over the lowest, each minus one.
/// Calls within a run share its processes, so their spread cannot show this; it becomes the test's practical threshold
/// whenever it is larger than the policy's.
/// </summary>
public sealed record RunToRunNoise
{
    /// <summary>Relative spread of run median latencies, e.g. 0.35 for 35 %.</summary>
    public required double Latency { get; init; }

    /// <summary>Relative spread of run throughputs; <see langword="null"/> when the test's trials are too small to measure it.</summary>
    public double? Throughput { get; init; }

    /// <summary>How many unchanged runs it was measured over.</summary>
    public required int Runs { get; init; }
}
