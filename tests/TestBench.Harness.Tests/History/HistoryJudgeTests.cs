using FluentAssertions;
using TestBench.Harness.History;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.History;

public sealed class HistoryJudgeTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    private static RunRecord Night(int night) => new()
    {
        Id = $"run-{night}",
        StartedAt = First.AddDays(night),
        Commit = $"commit{night:00}",
        Machine = "machine-a",
        Targets = new Dictionary<string, string> { ["local"] = "embedded" },
    };

    /// <summary>A measurement of <c>hello_world › basic test</c> at a median of <paramref name="p50"/> seconds, scattered
    /// reproducibly by a log sd of about 0.05.</summary>
    private static Measurement Measured(double p50, Random random) => Measurements.Of("hello_world", "basic test",
        new LoadResultBuilder().WithLatency(p50 * Math.Exp(0.05 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).Build());

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task This_runs_measurement_ends_the_stored_series_and_a_lasting_step_is_a_regression_named_by_its_first_run(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        var random = new Random(3);
        for (var night = 0; night < 19; night++)
        {
            await results.WriteAsync(RunHistory.RunOf(Night(night), [Measured(night < 15 ? 0.010 : 0.013, random)], [], complete: true, "run", null), CancellationToken.None);
        }

        var judgement = await new HistoryJudge(results, new HistoryPolicy()).JudgeAsync(Measured(0.013, random), Night(19), CancellationToken.None);

        judgement.Verdict.Should().Be(HistoryVerdict.Regressed);
        judgement.Since!.Commit.Should().Be("commit15");
        judgement.RunsAfter.Should().Be(5, "4 stored runs and this one");
    }

    [Fact]
    public async Task A_point_of_this_run_already_stored_is_not_counted_twice()
    {
        await using var store = await TestStore.CreateAsync("sqlite");
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        var random = new Random(3);
        for (var night = 0; night < 8; night++)
        {
            await results.WriteAsync(RunHistory.RunOf(Night(night), [Measured(0.010, random)], [], complete: true, "run", null), CancellationToken.None);
        }

        var judgement = await new HistoryJudge(results, new HistoryPolicy()).JudgeAsync(Measured(0.010, random), Night(7), CancellationToken.None);

        judgement.Runs.Should().Be(8);
    }
}
