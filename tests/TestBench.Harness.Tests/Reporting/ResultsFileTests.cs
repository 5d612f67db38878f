using FluentAssertions;
using TestBench.Harness.Histograms;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class ResultsFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-results-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task WriteAsync_MeasurementsWithHistograms_RoundTripsThemAndWritesEachAsHgrm()
    {
        var sample = TestSample.Empty.With(TestSampleBuilder.Trial([0.001, 0.002, 0.004], elapsed: 0.01));
        var results = new ResultsFile(directory);
        results.Add(Measurements.Of("hello_world", "200 calls/s for 3 s", sample.Summarize()));

        await results.WriteAsync(CancellationToken.None);

        var read = ResultsFile.Read(results.Path).Should().ContainSingle().Subject;
        read.Load.Histogram!.RecordedBuckets().Should().Equal((1000, 1), (2000, 1), (4000, 1));
        var hgrm = Path.Combine(directory, "histograms", "hello_world.200-calls-s-for-3-s.hgrm");
        File.ReadAllText(hgrm).Should().StartWith("       Value     Percentile TotalCount 1/(1-Percentile)")
            .And.Be(PercentileDistribution.Render(read.Load.Histogram));
    }

    [Fact]
    public async Task Every_change_is_on_disk_at_once_and_the_file_says_incomplete_until_the_run_ends()
    {
        var results = new ResultsFile(directory);
        var started = DateTimeOffset.UnixEpoch;

        results.Start(new CaseRecord { Name = "wf › export › A", Workflow = "wf", Stage = "export", Target = "local", StartedAt = started });
        results.Finish("wf › export › A", CaseOutcome.Failed, "The destination cluster at http://127.0.0.1:1/ gave no answer", started.AddSeconds(2));
        results.Start(new CaseRecord { Name = "wf › basic test", Workflow = "wf", Stage = "benchmark", Target = "local", StartedAt = started.AddSeconds(2) });

        ResultsFile.IsComplete(results.Path).Should().BeFalse("a reader until now sees a run that has not ended");
        var cases = ResultsFile.ReadCases(results.Path);
        cases.Select(c => (c.Name, c.Outcome, c.Seconds)).Should().Equal(("wf › export › A", CaseOutcome.Failed, 2.0), ("wf › basic test", CaseOutcome.Unfinished, (double?)null));
        cases[0].Reason.Should().StartWith("The destination cluster");
        results.Problems.FailedCases.Should().HaveCount(2, "the case the run died in counts as a problem");

        await results.WriteAsync(CancellationToken.None);

        ResultsFile.IsComplete(results.Path).Should().BeTrue();
        Directory.GetFiles(directory).Should().Equal([results.Path], "the temporary file is renamed over the results file, never left");
    }

    [Fact]
    public async Task A_reader_never_sees_half_a_file_while_cases_are_recorded_from_many_threads()
    {
        var results = new ResultsFile(directory);
        using var done = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            // Once more after the writers are done, so the last version is read too.
            for (var last = false; !last;)
            {
                last = done.IsCancellationRequested;
                if (File.Exists(results.Path))
                {
                    // Throws on a partly written file: JSON cut short does not parse.
                    using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(results.Path));
                    reads++;
                }
            }
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), async (i, _) =>
        {
            results.Start(new CaseRecord { Name = $"case {i}", Workflow = "wf", Stage = "benchmark", Target = "local", StartedAt = DateTimeOffset.UnixEpoch });
            await Task.Yield();
            results.Finish($"case {i}", CaseOutcome.Passed, null, DateTimeOffset.UnixEpoch.AddSeconds(1));
        });
        await done.CancelAsync();
        await reader;

        reads.Should().BePositive();
        ResultsFile.ReadCases(results.Path).Should().HaveCount(200).And.OnlyContain(c => c.Outcome == CaseOutcome.Passed);
    }

    [Fact]
    public void A_comparison_is_kept_with_its_verdict_and_every_pair_and_an_unbounded_interval_as_null()
    {
        var results = new ResultsFile(directory);
        var pairs = new[] { new Harness.Judging.Comparison.BlockPair(0, true, new(Harness.Judging.Comparison.ComparisonSide.Baseline, 100, 0, 0.010), new(Harness.Judging.Comparison.ComparisonSide.Candidate, 100, 0, 0.011)) };
        var judgement = Harness.Judging.Comparison.PairedComparison.Judge([pairs[0].LogRatio], new() { MinPairs = 2 }, budgetSpent: true);

        results.AddComparison(ComparisonMeasurement.Of("wf", "basic test", "local", new(pairs, judgement, TimeSpan.FromSeconds(3)), DateTimeOffset.UnixEpoch));

        var read = ResultsFile.ReadComparisons(results.Path).Should().ContainSingle().Subject;
        (read.Verdict, read.Target, read.RatioLow, read.RatioHigh).Should().Be((Harness.Judging.Comparison.ComparisonVerdict.Inconclusive, "local", (double?)null, (double?)null));
        read.Ratio.Should().BeApproximately(1.1, 1e-9);
        read.Pairs.Should().Equal(new ComparedPair(true, 10, 11, 100, 100));
        read.Sentence.Should().StartWith("inconclusive: ratio 1.100");
        results.IsEmpty.Should().BeFalse();
    }
}
