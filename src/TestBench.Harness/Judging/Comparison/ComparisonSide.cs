namespace TestBench.Harness.Judging.Comparison;

/// <summary>One side of a comparison.</summary>
public enum ComparisonSide
{
    Baseline,

    Candidate,
}
