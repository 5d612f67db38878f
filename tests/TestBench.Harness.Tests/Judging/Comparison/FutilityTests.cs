using FluentAssertions;
using TestBench.Harness.Judging.Comparison;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Comparison;

public sealed class FutilityTests
{
    /// <summary>The policy as <see cref="InterleavedTrials"/> judges with it: 8 looks, the embedded twins' spread.</summary>
    private static readonly ComparisonPolicy Judging = new() { Looks = 8, InstanceSpread = ComparisonPolicy.EmbeddedTwinsSpread };

    /// <summary>Log ratios log(<paramref name="ratio"/>) ± <paramref name="spread"/> in turn: a mean of exactly
    /// log(<paramref name="ratio"/>) and an sd of about <paramref name="spread"/>.</summary>
    private static double[] Alternating(int count, double ratio, double spread) =>
        [.. Enumerable.Range(0, count).Select(i => Math.Log(ratio) + (i % 2 == 0 ? spread : -spread))];

    [Fact]
    public void Pairs_scattered_like_a_noisy_neighbours_with_no_difference_in_sight_cannot_be_decided_within_the_budget()
    {
        var reason = Futility.Reason(Alternating(20, 1.0, 1.0), Judging, reachablePairs: 140);

        reason.Should().NotBeNull("at an sd of 1, 140 pairs give an interval of about ±20 %, four times the threshold")
            .And.Contain("at the 140 pairs it can reach").And.Contain("wider than the ±5 % threshold").And.EndWith("ended at 20 pairs");
    }

    [Fact]
    public void Quiet_pairs_that_could_still_be_called_same_go_on()
    {
        Futility.Reason(Alternating(20, 1.0, 0.15), Judging, reachablePairs: 320).Should().BeNull("at 320 pairs an sd of 0.15 gives about ±2 %");
    }

    [Fact]
    public void A_difference_the_budgets_pairs_could_show_is_not_stopped_however_scattered()
    {
        Futility.Reason(Alternating(20, 2.0, 1.0), Judging, reachablePairs: 140).Should().BeNull("a doubling stands out of ±20 %");
        Futility.Reason(Alternating(20, 0.5, 1.0), Judging, reachablePairs: 140).Should().BeNull("so does a halving");
    }

    [Fact]
    public void The_same_scatter_is_futile_for_a_test_whose_budget_reaches_few_pairs_and_not_for_one_that_reaches_many()
    {
        var pairs = Alternating(20, 1.0, 0.3);

        Futility.Reason(pairs, Judging, reachablePairs: 320).Should().BeNull();
        Futility.Reason(pairs, Judging, reachablePairs: 24).Should().NotBeNull();
    }

    [Fact]
    public void A_ratio_so_far_that_would_show_as_worse_at_the_budgets_end_is_not_stopped_even_within_the_threshold_band_of_scatter()
    {
        // 1.3 with an sd of 1: at 140 pairs the interval for a difference is about ±0.2 in log, and log 1.3 = 0.26 clears it.
        Futility.Reason(Alternating(20, 1.3, 1.0), Judging, reachablePairs: 140).Should().BeNull();
        Futility.Reason(Alternating(20, 1.1, 1.0), Judging, reachablePairs: 140).Should().NotBeNull("log 1.1 = 0.095 does not");
    }

    [Fact]
    public void Too_few_pairs_for_a_scatter_say_nothing()
    {
        Futility.Reason([0.9, -1.1], Judging, reachablePairs: 10).Should().BeNull();
    }

    [Theory]
    [InlineData(0.99, 19, 36.191)]
    [InlineData(0.99, 4, 13.277)]
    [InlineData(0.95, 100, 124.342)]
    public void The_chi_squared_quantile_is_within_a_percent_of_the_tables(double p, int degrees, double table)
    {
        Futility.ChiSquaredQuantile(p, degrees).Should().BeApproximately(table, table * 0.01);
    }
}
