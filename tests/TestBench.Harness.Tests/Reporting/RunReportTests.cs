using FluentAssertions;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class RunReportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-run-report-").FullName;
    private readonly ManualTimeProvider clock = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Publish_TwoRuns_KeepsBothInTheHistoryAndAttachesResultsReportAndBars()
    {
        var drop = Directory.CreateDirectory(Path.Combine(root, "drop")).FullName;
        var workflows = Directory.CreateDirectory(Path.Combine(root, "workflows")).FullName;
        var proposed = Path.Combine(workflows, "hello.ratchet.received.json");
        await File.WriteAllTextAsync(proposed, "{}");
        var report = new RunReport(workflows, name => name == RunAttachments.Variable ? drop : null, clock);

        await report.PublishAsync(Results(), [], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var attached = await report.PublishAsync(Results(), [proposed], CancellationToken.None);

        Directory.GetFiles(Path.Combine(root, "results", "history")).Select(Path.GetFileName).Should().HaveCount(2);
        attached.Select(Path.GetFileName).Should().Equal(ResultsFile.FileName, HtmlReport.FileName, "hello.ratchet.received.json");
        Directory.GetFiles(drop).Select(Path.GetFileName).Should().BeEquivalentTo(attached.Select(Path.GetFileName));
        (await File.ReadAllTextAsync(Path.Combine(root, "results", HtmlReport.FileName))).Should().Contain("<h2>hello</h2>").And.Contain("p50 over 2 run(s)", "the first run is in the history");
    }

    [Fact]
    public async Task Publish_NothingMeasured_WritesNothing()
    {
        var attached = await new RunReport(root, _ => null, clock).PublishAsync(new ResultsFile(Path.Combine(root, "results")), [], CancellationToken.None);

        attached.Should().BeEmpty();
        Directory.Exists(Path.Combine(root, "results")).Should().BeFalse();
    }

    private ResultsFile Results()
    {
        var results = new ResultsFile(Path.Combine(root, "results"));
        results.Add(Measurements.Of("hello", "basic test", new LoadResultBuilder().Build()));
        return results;
    }
}
