namespace TestBench.Harness.Measuring;

/// <summary>Exact percentiles of raw values: the nearest rank, the smallest value with at least that share at or below it.</summary>
internal static class NearestRank
{
    /// <summary>The value at <paramref name="percentile"/> (0–100) of ascending <paramref name="sorted"/>; 0 when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1)];
}
