namespace TestBench.Harness.Workflows;

/// <summary>
/// A test's own <c>compare</c> field: how its comparison is judged when the run compares two clusters (issue #27), in
/// place of the run's settings. A test whose calls scatter widely (a pipeline of image models, where one pair's ratio
/// varies by ±17 %) needs a wider practical threshold or a longer budget to be decided at all; its author knows that,
/// the run does not. Each field left out keeps the run's value.
/// </summary>
public sealed record TestComparisonOptions
{
    /// <summary>The largest practical threshold a test may ask for.</summary>
    public const double MaxThreshold = 0.5;

    /// <summary>The largest significance a test may ask for.</summary>
    public const double MaxAlpha = 0.2;

    /// <summary>The shortest budget a test may ask for, in seconds.</summary>
    public const int MinBudgetSeconds = 10;

    /// <summary>The longest budget a test may ask for, in seconds.</summary>
    public const int MaxBudgetSeconds = 3600;

    /// <summary><c>threshold</c>: the smallest relative change that matters, above 0 and below <see cref="MaxThreshold"/>.</summary>
    public double? Threshold { get; init; }

    /// <summary><c>alpha</c>: each one-sided test's significance, above 0, at most <see cref="MaxAlpha"/>.</summary>
    public double? Alpha { get; init; }

    /// <summary><c>budget_seconds</c>: the longest the test's pairs may run, <see cref="MinBudgetSeconds"/>..<see cref="MaxBudgetSeconds"/>.</summary>
    public int? BudgetSeconds { get; init; }

    /// <summary>
    /// <c>instance_spread</c>: how much this test's ratio varies between instance pairs of embedded twins (sd of the log
    /// ratio, 0 to below <see cref="MaxThreshold"/>), when it is not the run's: a test that writes files through the data
    /// API differs between two instances of one build by more than one that only computes. Ignored between configured
    /// clusters, whose difference is the answer.
    /// </summary>
    public double? InstanceSpread { get; init; }
}
