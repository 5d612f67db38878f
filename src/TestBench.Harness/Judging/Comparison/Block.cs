namespace TestBench.Harness.Judging.Comparison;

/// <summary>One short block of a test's calls on one side: how many, how many failed, and the median latency of the
/// successful ones.</summary>
/// <param name="Side">Which side ran it.</param>
/// <param name="Calls">Calls made.</param>
/// <param name="Failures">Calls that failed (errors; in a closed-model block also 429s).</param>
/// <param name="MedianSeconds">The median latency of the block's successful calls; in an open-model window, of every
/// call scheduled, a refused or unsent one ranked slower than any answered (<see cref="double.PositiveInfinity"/> when
/// that is over half of them).</param>
/// <param name="FirstError">The first failure's message, when there was one.</param>
public sealed record Block(ComparisonSide Side, long Calls, long Failures, double MedianSeconds, string? FirstError = null)
{
    /// <summary>Which of the side's instances ran it (from 0): a comparison of embedded twins starts each side more than once. <value>0.</value></summary>
    public int Instance { get; init; }

    /// <summary>
    /// The median of <paramref name="answered"/> latencies and <paramref name="refused"/> calls that got none, ranked
    /// slower than every answer: at a rate a side cannot serve, the calls it refuses are its answer, and a side that
    /// refuses more is the slower one. <see cref="double.PositiveInfinity"/> when the median falls among the refused.
    /// </summary>
    public static double MedianRankingRefusedSlowest(IReadOnlyList<double> answered, long refused)
    {
        ArgumentNullException.ThrowIfNull(answered);
        var sorted = answered.Order().ToArray();
        var count = sorted.LongLength + refused;
        double At(long rank) => rank < sorted.LongLength ? sorted[rank] : double.PositiveInfinity;
        return count == 0 ? 0 : count % 2 == 1 ? At(count / 2) : (At((count / 2) - 1) + At(count / 2)) / 2;
    }
}

/// <summary>One pair of blocks, one on each side, run back to back in a random order.</summary>
/// <param name="Index">The pair's number, from 0.</param>
/// <param name="BaselineFirst">Which side ran first.</param>
/// <param name="Baseline">The baseline's block.</param>
/// <param name="Candidate">The candidate's block.</param>
public sealed record BlockPair(int Index, bool BaselineFirst, Block Baseline, Block Candidate)
{
    /// <summary>log(candidate median / baseline median): the unit of the verdict.</summary>
    public double LogRatio => Math.Log(Candidate.MedianSeconds / Baseline.MedianSeconds);
}
