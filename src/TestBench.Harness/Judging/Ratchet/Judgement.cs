namespace TestBench.Harness.Judging.Ratchet;

/// <summary>How a test's sample compared with its bar, as the results file, summary and report show it.</summary>
public sealed record Judgement
{
    public required RatchetVerdict Verdict { get; init; }

    /// <summary>One sentence per measure: effect, interval, p-value and sample sizes.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The machine's noise while the sample was taken.</summary>
    public NoiseReading? Noise { get; init; }

    /// <summary>A would-be regression that the noise guard turned into <see cref="RatchetVerdict.Inconclusive"/>.</summary>
    public bool NoiseGuarded { get; init; }

    public static Judgement Of(RatchetOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new Judgement { Verdict = outcome.Verdict, Reasons = outcome.Reasons, Noise = outcome.Noise, NoiseGuarded = outcome.NoiseGuarded };
    }
}
