namespace TestBench.Harness.Ratchet;

/// <summary>What comparing a measurement with its bar gave.</summary>
public enum RatchetVerdict
{
    /// <summary>Within the bar (and its tolerance); nothing changes.</summary>
    Held,

    /// <summary>Worse than the bar beyond the tolerance: the case fails.</summary>
    Failed,

    /// <summary>Better by a clear margin: a raised bar is written as a received file.</summary>
    Raised,

    /// <summary>There was no bar: the measurement becomes the first one, written as a received file.</summary>
    FirstBar,
}

/// <summary>The verdict, the bar to propose (for <see cref="RatchetVerdict.Raised"/> and
/// <see cref="RatchetVerdict.FirstBar"/>), and one line per measure explaining it.</summary>
public sealed record RatchetOutcome(RatchetVerdict Verdict, Bar? Proposed, IReadOnlyList<string> Reasons);
