namespace TestBench.Harness.Judging.Ratchet;

/// <summary>The verdict, the bar to propose (for <see cref="RatchetVerdict.Improved"/> and <see cref="RatchetVerdict.FirstBar"/>),
/// one sentence per measure explaining it, and the machine's noise while the sample was taken.</summary>
public sealed record RatchetOutcome(RatchetVerdict Verdict, Bar? Proposed, IReadOnlyList<string> Reasons)
{
    public NoiseReading? Noise { get; init; }

    /// <summary>A would-be regression that the noise guard turned into <see cref="RatchetVerdict.Inconclusive"/>.</summary>
    public bool NoiseGuarded { get; init; }
}
