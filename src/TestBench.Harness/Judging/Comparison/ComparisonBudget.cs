namespace TestBench.Harness.Judging.Comparison;

/// <summary>How long a comparison may go on asking for more pairs.</summary>
public sealed record ComparisonBudget
{
    /// <summary>The most pairs. <value>80.</value></summary>
    public int MaxPairs { get; init; } = 80;

    /// <summary>The longest the pairs may take, warm-up excluded; the pair running when it ends is finished. <value>2 minutes.</value></summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(2);
}
