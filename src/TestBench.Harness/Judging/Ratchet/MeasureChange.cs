namespace TestBench.Harness.Judging.Ratchet;

/// <summary>How one measure of a run compares with its reference sample.</summary>
public enum MeasureChange
{
    /// <summary>Shown to be within the practical threshold.</summary>
    Same,

    /// <summary>Significantly worse by more than the practical threshold.</summary>
    Worse,

    /// <summary>Significantly better by more than the practical threshold.</summary>
    Better,

    /// <summary>Neither shown yet: more samples could decide.</summary>
    Undecided,
}
