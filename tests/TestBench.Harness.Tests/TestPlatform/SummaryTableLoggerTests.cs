using FluentAssertions;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using TestBench.TestLogger;
using Xunit;

namespace TestBench.Harness.Tests.TestPlatform;

public sealed class SummaryTableLoggerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-logger-test-").FullName;
    private readonly StringWriter output = new();

    public void Dispose()
    {
        output.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Print_ResultsAttached_PrintsTheTableAndWhereTheReportIs()
    {
        var results = new ResultsFile(directory);
        results.Add(Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.002).Build(), RatchetVerdict.Same));
        results.Add(Measurements.Of("hello_world", "slow", new LoadResultBuilder().WithLatency(0.5).Build(), RatchetVerdict.Regressed));
        await results.WriteAsync(CancellationToken.None);
        var attachments = Attachments(results.Path, Path.Combine(directory, "testbench-report.html"), Path.Combine(directory, "coverage.cobertura.xml"));

        new SummaryTableLogger(output).Print(attachments);

        var text = output.ToString();
        text.Should().Contain("TestBench summary: 2 benchmarked test(s); 0 with failed calls; 1 regressed; 0 improved; 0 inconclusive")
            .And.Contain("hello_world  basic test").And.Contain("REGRESSED")
            .And.Contain($"Results: {results.Path}")
            .And.Contain($"Report:  {Path.Combine(directory, "testbench-report.html")}");
    }

    [Fact]
    public async Task Print_HistoryNotWritten_SaysSoOnTheFirstLine()
    {
        var results = new ResultsFile(directory);
        results.Add(Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.002).Build(), RatchetVerdict.Same));
        results.Record(new Harness.History.HistoryWrite { Written = false, Store = "PostgreSQL database testbench on db.example.com:5432", Reason = "connection refused" });
        await results.WriteAsync(CancellationToken.None);

        new SummaryTableLogger(output).Print(Attachments(results.Path));

        output.ToString().TrimStart().Split(Environment.NewLine).Take(2).Should().Equal(
            "TestBench summary: history NOT written to PostgreSQL database testbench on db.example.com:5432: connection refused; the results file has everything this run measured",
            "1 benchmarked test(s); 0 with failed calls; 0 regressed; 0 improved; 0 inconclusive");
    }

    [Fact]
    public async Task Print_HistoryWritten_SaysWhereBeforeTheResultsPath()
    {
        var results = new ResultsFile(directory);
        results.Add(Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.002).Build(), RatchetVerdict.Same));
        results.Record(new Harness.History.HistoryWrite { Written = true, Store = "SQLite file /agent/history/testbench.db", Runs = 41 });
        await results.WriteAsync(CancellationToken.None);

        new SummaryTableLogger(output).Print(Attachments(results.Path));

        output.ToString().Should().StartWith($"{Environment.NewLine}TestBench summary: 1 benchmarked test(s)")
            .And.Contain($"history: this run stored in SQLite file /agent/history/testbench.db (41 runs){Environment.NewLine}Results: ");
    }

    [Fact]
    public void Print_NoResultsAttached_PrintsNothing()
    {
        new SummaryTableLogger(output).Print(Attachments(Path.Combine(directory, "coverage.cobertura.xml")));

        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Print_EveryWorkflowCaseSkipped_SaysSoFirstWithTheReasonsGrouped()
    {
        var sut = new SummaryTableLogger(output);
        sut.Count(Result("Export", TestOutcome.Skipped, "Skipped: environment 'Python 2.7' is not installed"));
        sut.Count(Result("Benchmark", TestOutcome.Skipped, "Skipped: environment 'Python 2.7' is not installed"));
        sut.Count(Result("Export", TestOutcome.Skipped, "Skipped: environment 'Python 3.7 + TensorFlow GPU 2.3' is not installed"));
        sut.Count(Result("Cleanup", TestOutcome.Skipped, "Clean-up is opt-in"));

        sut.Print(Attachments(Path.Combine(directory, "coverage.cobertura.xml")));

        output.ToString().Trim().Split(Environment.NewLine).Should().Equal(
            "TestBench summary: NOTHING MEASURED: 0 of 3 export and benchmark cases ran; 3 skipped — "
                + "environment 'Python 2.7' is not installed (2); environment 'Python 3.7 + TensorFlow GPU 2.3' is not installed (1)",
            "warning: no export or benchmark case ran; with RequireBenchmarks=true (TESTBENCH_REQUIRE_BENCHMARKS) this fails the run");
    }

    [Fact]
    public void Print_UnitTestsOnly_PrintsNothing()
    {
        var sut = new SummaryTableLogger(output);
        sut.Count(new TestResult(new TestCase("Some.Unit.Test", new Uri("executor://xunit/"), "x.dll")) { Outcome = TestOutcome.Skipped, ErrorMessage = "not here" });

        sut.Print([]);

        output.ToString().Should().BeEmpty();
    }

    private static TestResult Result(string stage, TestOutcome outcome, string? message)
    {
        var testCase = new TestCase("TestBench.Benchmarks.WorkflowBenchmarks.Run", new Uri("executor://xunit/"), "TestBench.Benchmarks.dll");
        testCase.Traits.Add("Stage", stage);
        return new TestResult(testCase) { Outcome = outcome, ErrorMessage = message };
    }

    private static AttachmentSet[] Attachments(params string[] files)
    {
        var set = new AttachmentSet(new Uri("datacollector://TestBench/Report/1.0"), "TestBench report");
        foreach (var file in files)
        {
            set.Attachments.Add(new UriDataAttachment(new Uri(file), Path.GetFileName(file)));
        }

        return [set];
    }
}
