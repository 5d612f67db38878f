using FluentAssertions;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Comparison;

public sealed class InterleavedTrialsTests
{
    private readonly ManualTimeProvider time = new();

    /// <summary>Blocks whose medians are 10 ms on the baseline and <paramref name="ratio"/> × that on the candidate, each
    /// scattered by a reproducible ±<paramref name="scatter"/>, and a log of which side ran when.</summary>
    private static Func<ComparisonSide, CancellationToken, Task<Block>> Sides(double ratio, double scatter, List<ComparisonSide> log, int seed = 3)
    {
        var random = new Random(seed);
        return (side, _) =>
        {
            log.Add(side);
            var factor = 1 + (scatter * ((2 * random.NextDouble()) - 1));
            return Task.FromResult(new Block(side, 50, 0, 0.010 * factor * (side == ComparisonSide.Candidate ? ratio : 1)));
        };
    }

    /// <summary>The blocks of <paramref name="sides"/>, each taking <paramref name="each"/> on the manual clock.</summary>
    private Func<ComparisonSide, CancellationToken, Task<Block>> Taking(TimeSpan each, Func<ComparisonSide, CancellationToken, Task<Block>> sides) =>
        (side, token) =>
        {
            time.Advance(each);
            return sides(side, token);
        };

    /// <summary>Trials on the manual clock, which stands still unless a test moves it: no shortest span of pairs, unless
    /// the test asks for one.</summary>
    private InterleavedTrials Trials(ComparisonBudget? budget = null) => new(new ComparisonPolicy(), budget ?? new ComparisonBudget { MinDuration = TimeSpan.Zero }, time, new Random(11));

    [Fact]
    public async Task Warms_up_both_sides_in_unjudged_pairs_then_runs_pairs_in_random_order_and_stops_at_the_first_look_that_decides()
    {
        var log = new List<ComparisonSide>();

        var run = await Trials().RunAsync(Sides(1.30, 0.02, log), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Worse);
        run.Pairs.Should().HaveCount(5, "a 30 % slowdown with 2 % scatter is decided at the first look");
        log.Should().HaveCount(10 + 10, "5 warm-up pairs, then 5 judged");
        log.Take(10).Should().Equal(Enumerable.Repeat(new[] { ComparisonSide.Baseline, ComparisonSide.Candidate }, 5).SelectMany(p => p));
        log.Skip(10).Chunk(2).Should().OnlyContain(pair => pair.Distinct().Count() == 2, "each pair runs both sides");
        run.Pairs.Select(p => p.BaselineFirst).Distinct().Should().HaveCount(2, "the order is drawn for each pair");
        run.Pairs.Should().OnlyContain(p => Math.Abs(p.LogRatio - Math.Log(1.30)) < 0.05);
    }

    [Fact]
    public async Task Slow_blocks_end_the_warm_up_once_it_spans_its_duration_but_not_before_two_pairs()
    {
        var log = new List<ComparisonSide>();

        await Trials(new ComparisonBudget { MinDuration = TimeSpan.Zero, WarmupDuration = TimeSpan.FromSeconds(5) }).RunAsync(Taking(TimeSpan.FromSeconds(4), Sides(1.30, 0.02, log)), () => null, CancellationToken.None);

        log.Should().HaveCount(4 + 10, "blocks of 4 s: the first pair takes 8 s, past the warm-up's 5 s, but it is 2 pairs long at least");
    }

    [Fact]
    public async Task A_clear_difference_is_not_called_before_the_pairs_span_the_shortest_duration()
    {
        var run = await Trials(new ComparisonBudget { MinDuration = TimeSpan.FromSeconds(3) }).RunAsync(Taking(TimeSpan.FromSeconds(0.1), Sides(1.30, 0.02, [])), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Worse);
        run.Pairs.Should().HaveCount(15, "5 pairs take 1 s: the verdict waits for the first pair past 3 s");
        run.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Undecided_pairs_ask_for_more_at_doubling_looks_until_the_most_pairs()
    {
        var log = new List<ComparisonSide>();

        var run = await Trials(new ComparisonBudget { MaxPairs = 12, MinDuration = TimeSpan.Zero }).RunAsync(Sides(1.06, 0.40, log), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Pairs.Should().HaveCount(12);
        log.Should().HaveCount(10 + 24);
    }

    [Fact]
    public async Task After_a_first_look_held_back_by_the_shortest_span_the_next_looks_come_at_twice_its_pairs()
    {
        var looks = new List<int>();
        var pairs = 0;
        var sides = Sides(1.0, 0.9, []);

        var run = await Trials(new ComparisonBudget { MaxPairs = 120, MinDuration = TimeSpan.FromSeconds(3), WarmupPairs = 1, MinWarmupPairs = 1, FutilityFromPairs = int.MaxValue }).RunAsync(
            Taking(TimeSpan.FromSeconds(0.1), (side, token) =>
            {
                pairs += side == ComparisonSide.Candidate ? 1 : 0;
                return sides(side, token);
            }),
            () =>
            {
                looks.Add(pairs - 1);
                return null;
            },
            CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive, "blocks scattered by ±90 % decide nothing in 120 pairs");
        looks.Should().Equal([15, 30, 60, 120], "pairs of 0.2 s span 3 s at 15; a look at every pair after it would add chances of a false worse");
    }

    [Fact]
    public async Task Pairs_too_scattered_for_the_budget_to_decide_end_inconclusive_at_the_look_at_20_pairs()
    {
        var run = await Trials().RunAsync(Sides(1.0, 0.9, []), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Pairs.Should().HaveCount(20, "the looks at 5 and 10 pairs are too few to judge the scatter by; the budget allows 320");
        run.Judgement.Caveat.Should().Contain("the pairs scatter too much for the budget").And.Contain("at the 320 pairs it can reach");
    }

    [Fact]
    public void The_pairs_a_budget_can_still_reach_follow_the_pace_so_far_up_to_its_most()
    {
        var budget = new ComparisonBudget { MaxPairs = 320, MaxDuration = TimeSpan.FromMinutes(2) };

        budget.ReachablePairs(20, TimeSpan.FromSeconds(30)).Should().Be(80);
        budget.ReachablePairs(20, TimeSpan.FromSeconds(1)).Should().Be(320);
        budget.ReachablePairs(20, TimeSpan.FromMinutes(3)).Should().Be(20, "the pairs already had are reached");
        budget.ReachablePairs(20, TimeSpan.Zero).Should().Be(320);
    }

    [Fact]
    public void The_most_looks_of_a_budget_count_the_doublings_up_to_its_pairs_and_one_at_its_end()
    {
        new ComparisonBudget().MaxLooks(5).Should().Be(8, "5, 10, 20, 40, 80, 160 and 320 pairs, and the end of the time");
        new ComparisonBudget { MaxPairs = 300 }.MaxLooks(5).Should().Be(7, "5 to 160 pairs, and the end");
        new ComparisonBudget { MaxPairs = 5 }.MaxLooks(5).Should().Be(2);
    }

    [Fact]
    public async Task Worse_and_better_are_judged_at_alpha_divided_by_the_budgets_looks()
    {
        var run = await Trials().RunAsync(Sides(1.30, 0.02, []), () => null, CancellationToken.None);

        run.Judgement.Policy.Looks.Should().Be(8);
        run.Judgement.Policy.DifferenceAlpha.Should().BeApproximately(0.00125, 1e-12);
    }

    [Fact]
    public async Task The_time_budget_ends_the_pairs_after_the_pair_that_passed_it()
    {
        var run = await Trials(new ComparisonBudget { MaxDuration = TimeSpan.FromSeconds(10), MinDuration = TimeSpan.Zero, WarmupDuration = TimeSpan.FromMinutes(1) }).RunAsync(Taking(TimeSpan.FromSeconds(1), Sides(1.06, 0.40, [])), () => null, CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Pairs.Should().HaveCount(5, "the warm-up is not counted; each pair takes 2 s of the 10");
        run.Elapsed.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Three_undecided_looks_in_a_row_on_a_disturbed_machine_end_the_comparison_inconclusive_before_its_budget()
    {
        var looks = 0;

        var run = await Trials().RunAsync(Sides(1.06, 0.40, []), () => ++looks == 1 ? null : "CPU 2× slower than calibrated", CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        looks.Should().Be(4, "the first look was quiet; the next three were disturbed");
        run.Pairs.Should().HaveCount(40, "the looks were at 5, 10, 20 and 40 pairs, not at the 320 the budget allows");
        run.Judgement.Caveat.Should().Contain("the machine was disturbed at 3 looks in a row (CPU 2× slower than calibrated)");
    }

    [Fact]
    public async Task A_disturbed_machine_turns_a_would_be_worse_into_inconclusive()
    {
        var run = await Trials(new ComparisonBudget { MaxPairs = 10, MinDuration = TimeSpan.Zero }).RunAsync(Sides(1.30, 0.02, []), () => "CPU 2× slower than calibrated", CancellationToken.None);

        run.Judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        run.Judgement.Caveat.Should().Contain("CPU 2× slower");
    }

    [Fact]
    public async Task A_side_that_keeps_failing_through_the_warm_up_ends_the_comparison_naming_it()
    {
        var blocks = 0;
        var act = () => Trials().RunAsync(
            (side, _) =>
            {
                blocks++;
                return Task.FromResult(side == ComparisonSide.Candidate ? new Block(side, 50, 3, 0.01, "HTTP 503") : new Block(side, 50, 0, 0.01));
            },
            () => null,
            CancellationToken.None);

        (await act.Should().ThrowAsync<ComparisonSideFailedException>()).Which.Message.Should().Be("the candidate side failed 3 of 50 calls of a block; the first: HTTP 503");
        blocks.Should().Be(2 * InterleavedTrials.MaxWarmupPairs(5), "the warm-up waits three times its length for a pair without failures");
    }

    [Fact]
    public async Task Failures_while_warming_up_extend_the_warm_up_until_a_pair_runs_clean_and_then_they_end_the_comparison()
    {
        var blocks = 0;
        var act = () => Trials().RunAsync(
            (side, _) =>
            {
                blocks++;
                // The first 7 pairs refuse calls (a server's first moments under a rate), then the 4th judged block fails
                // (before the first look, at 5 pairs).
                var failing = (blocks <= 14 && side == ComparisonSide.Baseline) || blocks == 14 + 2 + 4;
                return Task.FromResult(failing ? new Block(side, 500, 104, 0.001, "HTTP 429") : new Block(side, 500, 0, 0.001));
            },
            () => null,
            CancellationToken.None);

        (await act.Should().ThrowAsync<ComparisonSideFailedException>()).Which.Message.Should().Contain("side failed 104 of 500 calls");
        blocks.Should().Be(20, "8 warm-up pairs (the 8th ran clean), then judged pairs until a failed block, which ends it at once");
    }

    [Fact]
    public async Task A_block_without_a_usable_median_is_refused_naming_its_side()
    {
        var act = () => Trials().RunAsync((side, _) => Task.FromResult(new Block(side, 50, 0, 0)), () => null, CancellationToken.None);

        (await act.Should().ThrowAsync<ComparisonSideFailedException>()).Which.Message.Should().Be("the baseline side gave a block that cannot be compared: its median latency is 0 s");
    }
}
