using FluentAssertions;
using TestBench.Harness.Judging.Comparison;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Comparison;

public sealed class PairedComparisonTests
{
    private static readonly ComparisonPolicy Policy = new();

    /// <summary>Pairs whose log ratios scatter around log(<paramref name="ratio"/>) with sd about <paramref name="spread"/>,
    /// reproducibly (a fixed seed, normal values by Box–Muller).</summary>
    private static double[] Pairs(int count, double ratio, double spread, int seed = 7)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
            Math.Log(ratio) + (spread * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
    }

    [Fact]
    public void A_candidate_clearly_10_percent_slower_is_worse_with_the_ratio_its_interval_p_and_pairs()
    {
        var judgement = PairedComparison.Judge(Pairs(30, 1.10, 0.05), Policy, budgetSpent: false);

        judgement.Verdict.Should().Be(ComparisonVerdict.Worse);
        judgement.Ratio.Should().BeApproximately(1.10, 0.03);
        judgement.Low.Should().BeGreaterThan(1).And.BeLessThan(judgement.Ratio);
        judgement.High.Should().BeGreaterThan(judgement.Ratio);
        judgement.P.Should().BeLessThan(0.01);
        judgement.Describe().Should().MatchRegex(@"^worse: ratio 1\.\d{3} \(98% CI 1\.\d{3}–1\.\d{3}\), p < 0\.0001, 30 pairs, threshold 5 %$");
    }

    [Fact]
    public void A_candidate_clearly_faster_is_better()
    {
        PairedComparison.Judge(Pairs(30, 0.80, 0.05), Policy, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.Better);
    }

    [Fact]
    public void Identical_sides_with_enough_pairs_are_the_same()
    {
        var judgement = PairedComparison.Judge(Pairs(40, 1.0, 0.05), Policy, budgetSpent: false);

        judgement.Verdict.Should().Be(ComparisonVerdict.Same);
        judgement.Low.Should().BeGreaterThan(1 / 1.05);
        judgement.High.Should().BeLessThan(1.05);
    }

    [Fact]
    public void A_tiny_but_significant_difference_is_not_worse_it_is_the_same()
    {
        // 1 % slower, very consistently: significant, but below the 5 % that matters.
        var judgement = PairedComparison.Judge(Pairs(50, 1.01, 0.005), Policy, budgetSpent: false);

        judgement.Verdict.Should().Be(ComparisonVerdict.Same);
        judgement.Low.Should().BeGreaterThan(1, "it is significant");
    }

    [Fact]
    public void Too_spread_pairs_need_more_data_and_when_the_budget_is_spent_are_inconclusive()
    {
        var spread = Pairs(8, 1.10, 0.30);

        PairedComparison.Judge(spread, Policy, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.NeedMoreData);
        var atTheEnd = PairedComparison.Judge(spread, Policy, budgetSpent: true);
        atTheEnd.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        atTheEnd.Describe().Should().StartWith("inconclusive: ratio");
    }

    [Fact]
    public void A_huge_effect_on_few_pairs_is_still_held_until_the_fewest_pairs_that_decide()
    {
        PairedComparison.Judge(Pairs(4, 3.0, 0.05), Policy, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.NeedMoreData);
        PairedComparison.Judge(Pairs(5, 3.0, 0.05), Policy, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.Worse);
    }

    [Fact]
    public void One_pair_has_an_unbounded_interval()
    {
        var judgement = PairedComparison.Judge([Math.Log(1.5)], Policy with { MinPairs = 2 }, budgetSpent: true);

        judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        judgement.Low.Should().Be(0);
        judgement.High.Should().Be(double.PositiveInfinity);
        judgement.P.Should().Be(1);
    }

    [Fact]
    public void Ties_everywhere_are_the_same_and_constant_pairs_past_the_threshold_are_worse()
    {
        var ties = PairedComparison.Judge(new double[10], Policy, budgetSpent: false);
        var constant = PairedComparison.Judge(Enumerable.Repeat(Math.Log(1.2), 10).ToArray(), Policy, budgetSpent: false);

        ties.Verdict.Should().Be(ComparisonVerdict.Same);
        (ties.Ratio, ties.Low, ties.High, ties.P).Should().Be((1.0, 1.0, 1.0, 1.0));
        constant.Verdict.Should().Be(ComparisonVerdict.Worse);
        constant.P.Should().Be(0);
    }

    [Fact]
    public void A_disturbed_machine_never_fails_a_case_by_itself()
    {
        var worse = Pairs(30, 1.10, 0.05);

        var meanwhile = PairedComparison.Judge(worse, Policy, budgetSpent: false, disturbance: "CPU 1.9× slower than calibrated");
        var atTheEnd = PairedComparison.Judge(worse, Policy, budgetSpent: true, disturbance: "CPU 1.9× slower than calibrated");

        meanwhile.Verdict.Should().Be(ComparisonVerdict.NeedMoreData);
        atTheEnd.Verdict.Should().Be(ComparisonVerdict.Inconclusive);
        atTheEnd.Describe().Should().EndWith("; would be worse, but the machine was disturbed: CPU 1.9× slower than calibrated");
        PairedComparison.Judge(Pairs(40, 1.0, 0.05), Policy, budgetSpent: false, disturbance: "busy").Verdict.Should().Be(ComparisonVerdict.Same, "a disturbance cannot make two sides differ");
    }

    [Fact]
    public void The_threshold_and_significance_are_settable()
    {
        var pairs = Pairs(40, 1.03, 0.02);

        PairedComparison.Judge(pairs, Policy, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.Same);
        PairedComparison.Judge(pairs, Policy with { Threshold = 0.02, Alpha = 0.05 }, budgetSpent: false).Verdict.Should().Be(ComparisonVerdict.Worse);
    }

    [Theory]
    [InlineData(0.0, 0.01, 5, "Threshold")]
    [InlineData(1.5, 0.01, 5, "Threshold")]
    [InlineData(0.05, 0.6, 5, "Alpha")]
    [InlineData(0.05, 0.01, 1, "MinPairs")]
    public void A_policy_out_of_range_is_refused_naming_the_value(double threshold, double alpha, int minPairs, string named)
    {
        var act = () => PairedComparison.Judge([0.1, 0.2], new ComparisonPolicy { Threshold = threshold, Alpha = alpha, MinPairs = minPairs }, budgetSpent: false);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(named);
    }

    [Fact]
    public void A_pair_without_a_finite_ratio_is_refused()
    {
        var act = () => PairedComparison.Judge([0.1, double.PositiveInfinity], Policy, budgetSpent: false);

        act.Should().Throw<ArgumentException>().WithMessage("every pair's log ratio must be a finite number*");
    }

    [Fact]
    public void An_instance_offset_of_6_percent_is_better_without_the_instance_spread_and_undecided_with_it()
    {
        // Two twins a whole run apart by 6 %: many tight pairs, so the run's own interval is narrow.
        var pairs = Pairs(160, 0.94, 0.03);
        var twins = Policy with { InstanceSpread = 0.03 };

        PairedComparison.Judge(pairs, Policy, budgetSpent: true).Verdict.Should().Be(ComparisonVerdict.Better);
        var judgement = PairedComparison.Judge(pairs, twins, budgetSpent: true);

        judgement.Verdict.Should().Be(ComparisonVerdict.Inconclusive, "6 % is within what the instance spread alone does at α = 1 %");
        judgement.High.Should().BeGreaterThan(1);
        judgement.RunHigh.Should().BeLessThan(1, "within the run the twins do differ");
    }

    [Fact]
    public void A_clear_10_percent_slowdown_is_still_worse_with_the_instance_spread_of_embedded_twins()
    {
        var judgement = PairedComparison.Judge(Pairs(40, 1.10, 0.03), Policy with { InstanceSpread = ComparisonPolicy.EmbeddedTwinsSpread }, budgetSpent: false);

        judgement.Verdict.Should().Be(ComparisonVerdict.Worse);
        judgement.Low.Should().BeGreaterThan(1).And.BeLessThan(judgement.RunLow, "the spread widens the interval behind worse");
        judgement.Describe().Should().MatchRegex(@"^worse: ratio 1\.\d{3} \(98% CI 1\.\d{3}–1\.\d{3} in this run; 98% CI 1\.\d{3}–1\.\d{3} with the instance spread of 2\.5 % for worse or better\), p < 0\.0001, 40 pairs, threshold 5 %$");
    }

    [Fact]
    public void A_difference_significant_at_one_look_needs_more_data_when_the_budget_allows_eight()
    {
        // Mean log ratio 0.08, t = 3.0 on 9 degrees of freedom: one-sided p ≈ 0.0075, under α = 1 % but not under α / 8.
        double[] pairs = [-0.018, 0.178, 0.08, 0.145, 0.015, 0.113, 0.047, 0.21, -0.05, 0.08];

        var once = PairedComparison.Judge(pairs, Policy, budgetSpent: false);
        var atOneOfEight = PairedComparison.Judge(pairs, Policy with { Looks = 8 }, budgetSpent: false);

        once.Verdict.Should().Be(ComparisonVerdict.Worse);
        once.P.Should().BeInRange(0.00125, 0.01);
        atOneOfEight.Verdict.Should().Be(ComparisonVerdict.NeedMoreData, "eight looks at 1 % each would be a false worse in up to 8 % of A/A comparisons");
        atOneOfEight.Low.Should().BeLessThan(1).And.BeLessThan(atOneOfEight.RunLow, "worse rests on the 99.75 % interval, same on the 98 % one");
        atOneOfEight.Describe().Should().MatchRegex(@"^need more data: ratio 1\.083 \(98% CI 1\.\d{3}–1\.\d{3} in this run; 99\.75% CI 0\.\d{3}–1\.\d{3} for worse or better at one of up to 8 looks\), p = 0\.00\d+ \(≤ 0\.00125 needed\), 10 pairs, threshold 5 %$");
    }

    [Fact]
    public void A_policy_judged_less_than_once_is_refused()
    {
        var act = () => PairedComparison.Judge([0.1, 0.2], Policy with { Looks = 0 }, budgetSpent: false);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("a comparison is judged at least once*");
    }

    [Fact]
    public void Twins_within_a_percent_of_each_other_are_the_same_whatever_the_instance_spread()
    {
        var judgement = PairedComparison.Judge(Pairs(80, 1.005, 0.02), Policy with { InstanceSpread = ComparisonPolicy.EmbeddedTwinsSpread }, budgetSpent: false);

        judgement.Verdict.Should().Be(ComparisonVerdict.Same, "same speaks of the two servers measured: the run's own interval lies within ±5 %");
    }

    [Fact]
    public void Constant_pairs_with_an_instance_spread_have_an_interval_of_that_spread()
    {
        var judgement = PairedComparison.Judge(Enumerable.Repeat(Math.Log(1.2), 10).ToArray(), Policy with { InstanceSpread = 0.05 }, budgetSpent: false);

        judgement.Low.Should().BeApproximately(Math.Exp(Math.Log(1.2) - (2.326 * 0.05)), 0.002);
        judgement.RunLow.Should().BeApproximately(1.2, 1e-9);
        judgement.Verdict.Should().Be(ComparisonVerdict.Worse);
    }

    [Fact]
    public void Pairs_shared_equally_by_two_instance_pairs_keep_half_the_spread_variance()
    {
        var constant = Enumerable.Repeat(Math.Log(1.2), 10).ToArray();
        int[] alternating = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];

        var judgement = PairedComparison.Judge(constant, Policy with { InstanceSpread = 0.05 }, budgetSpent: false, instanceOfPair: alternating);

        judgement.Low.Should().BeApproximately(Math.Exp(Math.Log(1.2) - (2.326 * 0.05 / Math.Sqrt(2))), 0.002);
        judgement.InstancePairs.Should().Be(2);
        judgement.Describe().Should().Contain("with the instance spread of 5 % over 2 instance pairs");
    }

    [Fact]
    public void Pairs_mostly_from_one_instance_pair_keep_most_of_its_spread()
    {
        var constant = Enumerable.Repeat(Math.Log(1.2), 10).ToArray();
        int[] lopsided = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

        var judgement = PairedComparison.Judge(constant, Policy with { InstanceSpread = 0.05 }, budgetSpent: false, instanceOfPair: lopsided);

        // Σ(nⱼ/n)² = 0.9² + 0.1² = 0.82 of the one-instance variance.
        judgement.Low.Should().BeApproximately(Math.Exp(Math.Log(1.2) - (2.326 * 0.05 * Math.Sqrt(0.82))), 0.002);
    }

    [Fact]
    public void An_instance_for_each_pair_is_required()
    {
        var judge = () => PairedComparison.Judge([0.1, 0.2, 0.3], Policy, budgetSpent: false, instanceOfPair: [0, 1]);

        judge.Should().Throw<ArgumentException>().WithMessage("2 instances given for 3 pairs*");
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void An_instance_spread_out_of_range_is_refused_naming_it(double spread)
    {
        var judge = () => PairedComparison.Judge([0.1, 0.2], Policy with { InstanceSpread = spread }, budgetSpent: false);

        judge.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("InstanceSpread");
    }
}
