using FluentAssertions;
using TestBench.Harness.Judging.Comparison;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Comparison;

public sealed class BlockTests
{
    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 0, 2.0)]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 1, 2.5)]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 2.0, 3.0 }, 3, 4.0)]
    public void Refused_calls_rank_slower_than_every_answered_one(double[] answered, long refused, double expected)
    {
        Block.MedianRankingRefusedSlowest(answered, refused).Should().Be(expected);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0 }, 2)]
    [InlineData(new[] { 1.0 }, 2)]
    [InlineData(new double[0], 1)]
    public void A_median_among_the_refused_is_infinitely_slow(double[] answered, long refused)
    {
        Block.MedianRankingRefusedSlowest(answered, refused).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void No_calls_have_no_median()
    {
        Block.MedianRankingRefusedSlowest([], 0).Should().Be(0);
    }

    [Fact]
    public async Task A_side_that_refuses_most_of_a_window_makes_the_comparison_inconclusive_naming_it_and_the_refusal()
    {
        var trials = new InterleavedTrials(new ComparisonPolicy(), new ComparisonBudget { WarmupPairs = 1 }, TimeProvider.System, new Random(1));
        var blocks = 0;

        var run = await trials.RunAsync(
            (side, _) =>
            {
                var saturated = ++blocks > 2 + 8 && side == ComparisonSide.Candidate;
                return Task.FromResult(new Block(side, 500, 0, saturated ? double.PositiveInfinity : 0.001 * (1 + (blocks % 3 * 0.01)), saturated ? "HTTP 429: busy" : null));
            },
            () => null,
            CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Judgement.Caveat.Should().Be("the candidate refused or could not be sent over half of a window's 500 calls (the first refusal: HTTP 429: busy): the test's rate is beyond what it serves here, so latencies cannot be compared");
        run.Pairs.Should().HaveCount(4, "the pairs before the refusals stay");
    }

    [Fact]
    public async Task Sides_that_refuse_the_rate_through_the_warm_up_end_it_inconclusive_with_no_pairs()
    {
        var trials = new InterleavedTrials(new ComparisonPolicy(), new ComparisonBudget { WarmupPairs = 1 }, TimeProvider.System, new Random(1));

        var run = await trials.RunAsync((side, _) => Task.FromResult(new Block(side, 500, 0, double.PositiveInfinity)), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Judgement.Caveat.Should().StartWith("the baseline refused or could not be sent over half of a window's 500 calls; the candidate refused");
        run.Pairs.Should().BeEmpty();
        run.Judgement.Describe().Should().StartWith("inconclusive: no pair judged; the baseline refused");
    }
}
