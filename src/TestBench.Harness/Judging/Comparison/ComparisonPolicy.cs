namespace TestBench.Harness.Judging.Comparison;

/// <summary>How a paired comparison decides: the smallest change that matters, the significance, and how few pairs it
/// may decide on.</summary>
public sealed record ComparisonPolicy
{
    /// <summary>The practical threshold, relative: a change smaller than this is "same". <value>0.05 (5 %).</value></summary>
    public double Threshold { get; init; } = 0.05;

    /// <summary>The significance level of each one-sided test (the interval is the 1 − 2α one). <value>0.01.</value></summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Fewer pairs decide nothing. <value>5.</value></summary>
    public int MinPairs { get; init; } = 5;

    /// <summary>Checks the values: a threshold in (0, 1), α in (0, 0.5), at least 2 pairs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One is out of range; the message names it.</exception>
    public ComparisonPolicy Validated()
    {
        if (Threshold is <= 0 or >= 1 || double.IsNaN(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "the practical threshold must be a fraction between 0 and 1, e.g. 0.05");
        }

        if (Alpha is <= 0 or >= 0.5 || double.IsNaN(Alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "the significance must be between 0 and 0.5, e.g. 0.01");
        }

        return MinPairs >= 2 ? this : throw new ArgumentOutOfRangeException(nameof(MinPairs), MinPairs, "at least 2 pairs are needed for an interval");
    }
}
