namespace TestBench.Harness.Judging.Comparison;

/// <summary>One short block of a test's calls on one side: how many, how many failed, and the median latency of the
/// successful ones.</summary>
/// <param name="Side">Which side ran it.</param>
/// <param name="Calls">Calls made.</param>
/// <param name="Failures">Calls that failed (errors, 429s, calls never sent).</param>
/// <param name="MedianSeconds">The median latency of the block's successful calls.</param>
/// <param name="FirstError">The first failure's message, when there was one.</param>
public sealed record Block(ComparisonSide Side, long Calls, long Failures, double MedianSeconds, string? FirstError = null);

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
