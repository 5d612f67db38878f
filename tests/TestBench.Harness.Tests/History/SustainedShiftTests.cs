using FluentAssertions;
using TestBench.Harness.History;
using Xunit;

namespace TestBench.Harness.Tests.History;

public sealed class SustainedShiftTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Nightly runs whose medians are <paramref name="medians"/> (seconds), each scattered by a reproducible
    /// log sd of about <paramref name="noise"/>, all on one address unless <paramref name="address"/> says otherwise.</summary>
    private static List<SeriesPoint> Nightly(double[] medians, double noise = 0.05, int seed = 5, Func<int, string>? address = null)
    {
        var random = new Random(seed);
        return [.. medians.Select((median, night) => new SeriesPoint(
            $"run-{night}",
            First.AddDays(night),
            $"commit{night:00}",
            address?.Invoke(night) ?? "embedded",
            median * Math.Exp(noise * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())),
            100,
            100,
            "same"))];
    }

    private static double[] Repeat(double median, int runs) => [.. Enumerable.Repeat(median, runs)];

    [Fact]
    public void Unchanged_nights_are_steady()
    {
        var judgement = SustainedShift.Judge(Nightly(Repeat(0.010, 30)), new HistoryPolicy());

        judgement.Verdict.Should().Be(HistoryVerdict.Steady);
    }

    [Fact]
    public void A_20_percent_step_that_lasts_is_a_regression_named_by_the_run_it_began_with()
    {
        var judgement = SustainedShift.Judge(Nightly([.. Repeat(0.010, 15), .. Repeat(0.012, 5)]), new HistoryPolicy());

        judgement.Verdict.Should().Be(HistoryVerdict.Regressed);
        judgement.Since!.RunKey.Should().Be("run-15");
        judgement.RunsAfter.Should().Be(5);
        judgement.RunsBefore.Should().Be(12, "the baseline is at most 12 runs back");
        judgement.Ratio.Should().BeApproximately(1.2, 0.06);
        judgement.Low.Should().BeGreaterThan(1);
        judgement.Describe().Should().MatchRegex(@"^regressed: p50 1\.\d{3}× \(98% CI 1\.\d{3}–1\.\d{3}\) since 2026-11-16 02:00 \(commit commit15\), 5 runs after vs 12 before, p = 0(\.\d+)?, threshold 5 %$");
    }

    [Fact]
    public void A_lasting_step_down_is_an_improvement()
    {
        SustainedShift.Judge(Nightly([.. Repeat(0.010, 15), .. Repeat(0.008, 4)]), new HistoryPolicy()).Verdict.Should().Be(HistoryVerdict.Improved);
    }

    [Fact]
    public void A_step_smaller_than_the_threshold_is_steady_however_clear()
    {
        var judgement = SustainedShift.Judge(Nightly([.. Repeat(0.010, 15), .. Repeat(0.0102, 8)], noise: 0.002), new HistoryPolicy());

        judgement.Verdict.Should().Be(HistoryVerdict.Steady);
    }

    [Fact]
    public void A_new_cluster_address_starts_a_new_segment_and_the_old_ones_runs_do_not_count()
    {
        var series = Nightly([.. Repeat(0.010, 10), .. Repeat(0.020, 8)], address: night => night < 10 ? "https://old.example.com/" : "https://new.example.com/");

        var judgement = SustainedShift.Judge(series, new HistoryPolicy());

        judgement.Verdict.Should().Be(HistoryVerdict.Steady, "the slower cluster is another cluster, not a regression");
        judgement.Runs.Should().Be(8);
        judgement.Describe().Should().Contain("the target's address changed at run 2026-11-11 02:00 (commit commit10), so only the 8 runs since count");
    }

    [Fact]
    public void Over_many_unchanged_histories_a_shift_is_seldom_called_and_over_many_stepped_ones_mostly()
    {
        // Seeded, so the counts are fixed; the bounds say what the permutation test is for: the detector always finds
        // some cut in noise, and only a shift stronger than shuffled runs show may be called one.
        var calledInNoise = Enumerable.Range(0, 60).Count(seed => SustainedShift.Judge(Nightly(Repeat(0.010, 30), noise: 0.1, seed: seed), new HistoryPolicy()).Verdict != HistoryVerdict.Steady);
        var calledInSteps = Enumerable.Range(0, 30).Count(seed => SustainedShift.Judge(Nightly([.. Repeat(0.010, 24), .. Repeat(0.013, 6)], noise: 0.1, seed: seed), new HistoryPolicy()).Verdict == HistoryVerdict.Regressed);

        calledInNoise.Should().BeLessThanOrEqualTo(2, "α is 1 % a series");
        calledInSteps.Should().BeGreaterThanOrEqualTo(24, "a 30 % step over 6 nights stands 3 sd above a noise of 0.1");
    }

    [Fact]
    public void Only_the_latest_runs_are_judged_so_an_old_step_no_longer_counts()
    {
        var judgement = SustainedShift.Judge(Nightly([.. Repeat(0.010, 15), .. Repeat(0.013, 60)]), new HistoryPolicy());

        judgement.Runs.Should().Be(60);
        judgement.Verdict.Should().Be(HistoryVerdict.Steady, "the step is 60 runs old: the bar has long been raised past it");
    }

    [Fact]
    public void Too_few_runs_say_so()
    {
        SustainedShift.Judge(Nightly(Repeat(0.010, 5)), new HistoryPolicy()).Describe().Should().Be("too few runs to judge (5; 6 needed)");
        SustainedShift.Judge([], new HistoryPolicy()).Verdict.Should().Be(HistoryVerdict.TooFewRuns);
    }
}
