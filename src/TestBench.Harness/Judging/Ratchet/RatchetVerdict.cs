namespace TestBench.Harness.Judging.Ratchet;

/// <summary>What comparing a test's sample with its bar gave (the outcomes of Chromium Pinpoint, plus a first bar).</summary>
public enum RatchetVerdict
{
    /// <summary>No practical difference from the bar could be shown either way, or it was shown to be within it.</summary>
    Same,

    /// <summary>Significantly worse than the bar by more than the practical threshold: the case fails.</summary>
    Regressed,

    /// <summary>Significantly better by more than the practical threshold: a raised bar is written as a received file.</summary>
    Improved,

    /// <summary>Not decided: the sample is too small or too spread within the trial budget, or a would-be regression
    /// was measured on a disturbed machine. Reported, not failed (unless strict).</summary>
    Inconclusive,

    /// <summary>There was no bar: the sample becomes the first one, written as a received file.</summary>
    FirstBar,
}
