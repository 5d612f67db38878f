namespace TestBench.Harness.Judging.Comparison;

/// <summary>What a paired comparison of a candidate with its baseline says (issue #27).</summary>
public enum ComparisonVerdict
{
    /// <summary>Not yet decided: more pairs are wanted, while the budget lasts.</summary>
    NeedMoreData,

    /// <summary>The candidate is slower by at least the practical threshold, significantly: the case fails (unless the
    /// run makes it a warning).</summary>
    Worse,

    /// <summary>The ratio's interval lies within the practical threshold either way.</summary>
    Same,

    /// <summary>The candidate is faster by at least the practical threshold, significantly.</summary>
    Better,

    /// <summary>The budget ran out before a decision, or the machine was disturbed: reported with the interval, not failed.</summary>
    Inconclusive,
}
