namespace TestBench.Harness.Judging.Ratchet;

/// <summary>How much slower the calibration ran than its baseline (worst median over the baseline's), and whether that counts as disturbed.</summary>
public sealed record NoiseReading
{
    public static readonly NoiseReading Unmeasured = new() { CpuSlowdown = 1, Disturbed = false, HasBaseline = false };

    /// <summary>The CPU workload's slowdown, e.g. 1.9 for 1.9× slower; 1 without a baseline.</summary>
    public required double CpuSlowdown { get; init; }

    public required bool Disturbed { get; init; }

    /// <summary>The slowest reading's median wake-up round trip (<see cref="Measuring.WakeLatency"/>), in milliseconds;
    /// null when unmeasured. Recorded, not judged: whether it explains runs that are slow as a whole is being measured
    /// (docs/benchmarks.md).</summary>
    public double? WakeMedianMs { get; init; }

    /// <summary>The machine's I/O stalls and page-cache refaults while the trials ran; null when unmeasured. Recorded,
    /// not judged: a platform under test on this machine can cause I/O of its own, so it cannot tell noise from a
    /// regression; it explains a verdict (docs/benchmarks.md, "Widened by CI's run").</summary>
    public Measuring.IoActivity? Io { get; init; }

    /// <summary>Whether a baseline of this machine was there to compare with.</summary>
    public required bool HasBaseline { get; init; }

    /// <summary>E.g. <c>calibration 1.9× slower</c>.</summary>
    public string Describe() => !HasBaseline
        ? "no calibration baseline of this machine"
        : FormattableString.Invariant($"calibration {CpuSlowdown:0.0#}× slower");
}
