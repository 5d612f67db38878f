using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.History;
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
    public async Task Publish_WithAStore_StoresTheRunAndTheResultsFileSaysSo()
    {
        var store = StoreLocation.SqliteFile(Path.Combine(root, "store", "testbench.db"));
        var results = Results();
        results.Begin(new RunRecord { Id = "run-1", StartedAt = clock.GetUtcNow(), Machine = "machine-a" });

        await new RunReport(root, _ => null, clock, new RunHistory(store, new SecretRedactor([]), clock)).PublishAsync(results, [], CancellationToken.None);

        ResultsFile.ReadHistory(results.Path).Should().BeEquivalentTo(new HistoryWrite { Written = true, Store = store.Describe(), Runs = 1 });
        ResultsFile.IsComplete(results.Path).Should().BeTrue();
    }

    [Fact]
    public async Task Publish_WithANewStore_FirstTakesTheAgentsEarlierHistoryCopies()
    {
        var store = StoreLocation.SqliteFile(Path.Combine(root, "store", "testbench.db"));
        await new RunReport(root, _ => null, clock).PublishAsync(Results(), [], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var results = Results();
        results.Begin(new RunRecord { Id = "run-2", StartedAt = clock.GetUtcNow(), Machine = "machine-a" });

        await new RunReport(root, _ => null, clock, new RunHistory(store, new SecretRedactor([]), clock)).PublishAsync(results, [], CancellationToken.None);

        ResultsFile.ReadHistory(results.Path)!.Runs.Should().Be(2, "the run before the store existed was imported when the store was created");
    }

    [Fact]
    public async Task Publish_WithAStoreThatFails_StillCompletesTheResultsAndRecordsWhy()
    {
        var blocker = Path.Combine(root, "blocker");
        await File.WriteAllTextAsync(blocker, "a file where the store's folder would be");
        var results = Results();
        results.Begin(new RunRecord { Id = "run-1", StartedAt = clock.GetUtcNow(), Machine = "machine-a" });

        await new RunReport(root, _ => null, clock, new RunHistory(StoreLocation.SqliteFile(Path.Combine(blocker, "testbench.db")), new SecretRedactor([]), clock)).PublishAsync(results, [], CancellationToken.None);

        ResultsFile.ReadHistory(results.Path)!.Written.Should().BeFalse();
        ResultsFile.IsComplete(results.Path).Should().BeTrue();
        ResultsFile.Read(results.Path).Should().ContainSingle();
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
