namespace TestBench.Harness.Measuring;

/// <summary>
/// Timings of the fixed calibration workload (<see cref="Calibration"/>), in milliseconds. A bar file keeps one as
/// the baseline of a quiet machine; a run takes one before and after each test's trials.
/// </summary>
public sealed record CalibrationSample
{
    /// <summary>Each repetition of the CPU-bound workload.</summary>
    public required IReadOnlyList<double> CpuMs { get; init; }

    /// <summary>Each wake-up round trip of <see cref="WakeLatency"/>; empty in samples taken before it existed.</summary>
    public IReadOnlyList<double> WakeMs { get; init; } = [];

    public required DateTimeOffset MeasuredAt { get; init; }

    /// <summary>The <see cref="MachineFingerprint"/> of the machine that measured it.</summary>
    public required string Machine { get; init; }
}
