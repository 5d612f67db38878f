namespace TestBench.Harness.Judging.Comparison;

/// <summary>A side's calls failed during a comparison: the case fails with the side named, never as a verdict.</summary>
public sealed class ComparisonSideFailedException(ComparisonSide side, Block block, string? problem = null)
    : Exception(problem is null
        ? $"the {side.ToString().ToLowerInvariant()} side failed {block.Failures} of {block.Calls} calls of a block; the first: {block.FirstError ?? "no message"}"
        : $"the {side.ToString().ToLowerInvariant()} side gave a block that cannot be compared: {problem}")
{
    public ComparisonSide Side { get; } = side;
}
