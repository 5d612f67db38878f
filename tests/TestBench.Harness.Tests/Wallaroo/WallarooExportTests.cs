using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Wallaroo;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Wallaroo;

/// <summary>Workflows exported to the embedded Wallaroo from the embedded source, and called and scheduled there, as the benchmark does it.</summary>
public sealed class WallarooExportTests(WallarooExportTests.Scenario scenario) : IClassFixture<WallarooExportTests.Scenario>
{
    /// <summary>Reads its bundled model (data://.my), writes and reads back a private file (data://.algo), refuses negatives.</summary>
    private const string Scorer = """
        import Algorithmia

        client = Algorithmia.client()


        def apply(input):
            if input < 0:
                raise ValueError("negative input %d" % input)
            model = client.file("data://.my/Scorer/model.json").getJson()
            client.file("data://.algo/temp/last.txt").put(str(input))
            return {"score": sum(model["weights"]) * input, "echo": client.file("data://.algo/temp/last.txt").getString()}
        """;

    [Fact]
    public async Task Export_BundlesDataAndRunsOnce_CallsAreTaskRuns_WithResultsFromTheirLogs()
    {
        var workflow = scenario.Exports.Workflow("scoring", """
            { "algorithms": [ { "name": "Scorer", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 } ] }
            """);
        var export = scenario.Exports.WallarooExport(workflow);
        var logger = new ListLogger();
        export.Calls.TakeTimingSummary();

        var scorer = await export.ExportAsync("Scorer", logger, CancellationToken.None);
        var answer = await export.Calls.Prepare(scorer, JsonValue.Create(2), 30)(CancellationToken.None);
        var failed = await export.Calls.Prepare(scorer, JsonValue.Create(-1), 30)(CancellationToken.None);
        var timings = export.Calls.TakeTimingSummary();

        scorer.Location.Should().MatchRegex("^orchestration Scorer_[0-9a-f]{12} \\([0-9a-f-]{36}\\)$");
        scorer.Measures.Select(m => m.Name).Should().Equal(ExportMeasure.DataCopy, ExportMeasure.Upload, ExportMeasure.Packaging, ExportMeasure.TaskStart, ExportMeasure.SmokeRun);
        answer.Succeeded.Should().BeTrue(answer.ErrorMessage);
        answer.Body!["result"]!.ToJsonString().Should().Be("""{"score":12,"echo":"2"}""");
        answer.WallSeconds.Should().BePositive();
        failed.Succeeded.Should().BeFalse();
        failed.ErrorMessage.Should().MatchRegex("^task run [0-9a-f-]{36} ended with status failure: .*ValueError: negative input -1");
        timings.Should().StartWith("Wallaroo task runs (2, warm-up included): start latency (task created → its code's first log line) p50 ")
            .And.Contain("log lag (run ended → result line in its logs) p50 ")
            .And.Contain("by the task's own clock, over 1 of them: load (first line → algorithm imported and loaded) p50 ", "the failed run never applied")
            .And.Contain("ValueError: negative input -1", "the last run's log is shown");
        export.Calls.TakeTimingSummary().Should().BeNull("the summary covers the runs since it was last taken");
        logger.Text.Should().Contain("Bundled data://.my/artifacts/model.json").And.NotContain(scenario.Exports.Targets.Wallaroo!.Wallaroo.Connection.Token);
    }

    [Fact]
    public async Task OrchestrationFolderTemplate_IsUploadedAsItIs_AndGetsTheInputAsItsTaskArguments()
    {
        var folder = Path.Combine(scenario.Exports.Repository.Root, "algorithms", "Native");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "main.py"), """
            import json
            import wallaroo

            print("TESTBENCH_RESULT " + json.dumps({"doubled": wallaroo.task_args()["input"] * 2, "in_task": wallaroo.in_task()}))
            """);
        var workflow = scenario.Exports.Workflow("native", """
            { "algorithms": [ { "name": "Native", "language": "python3", "test_payload": 1 } ] }
            """);
        var export = scenario.Exports.WallarooExport(workflow);

        var native = await export.ExportAsync("Native", new ListLogger(), CancellationToken.None);
        var answer = await export.Calls.Prepare(native, JsonValue.Create(21), 30)(CancellationToken.None);

        answer.Body!["result"]!.ToJsonString().Should().Be("""{"doubled":42,"in_task":true}""");
        native.Measures.Select(m => m.Name).Should().NotContain(ExportMeasure.DataCopy);
    }

    [Fact]
    public async Task Export_AnAlgorithmThatCallsAlgo_IsAMissingPrerequisite_BeforeAnythingIsUploaded()
    {
        scenario.Exports.Repository.WithTemplate("Caller", "import Algorithmia\n\ndef apply(input):\n    return Algorithmia.client().algo(\"algo://.my/Scorer\").pipe(input).result\n");
        var workflow = scenario.Exports.Workflow("pipeline", """
            { "algorithms": [ { "name": "Caller", "language": "python3", "test_payload": 1 } ] }
            """);
        var wallaroo = scenario.Exports.Targets.Wallaroo!.Wallaroo;
        var before = await wallaroo.OrchestrationsAsync(1, CancellationToken.None);

        var act = () => scenario.Exports.WallarooExport(workflow).ExportAsync("Caller", new ListLogger(), CancellationToken.None);

        (await act.Should().ThrowAsync<PrerequisiteMissingException>()).Which.Message.Should()
            .Be("Caller calls other algorithms (algo:// in src/Caller.py), and a Wallaroo task has no route to call an orchestration: its pipeline runs on the other targets");
        (await wallaroo.OrchestrationsAsync(1, CancellationToken.None)).Should().HaveCount(before.Count);
    }

    [Fact]
    public async Task ScheduledTest_CallsAreTheTasksRunsFromTheirTicks_AndDisposingKillsTheTask()
    {
        var workflow = scenario.Exports.Workflow("cron", """
            { "algorithms": [ { "name": "Scorer", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 } ] }
            """);
        var export = scenario.Exports.WallarooExport(workflow);
        var scorer = await export.ExportAsync("Scorer", new ListLogger(), CancellationToken.None);
        var wallaroo = scenario.Exports.Targets.Wallaroo!;
        string? taskId;
        CallResponse[] answers;
        string? timings;
        await using (var scheduled = new ScheduledTaskCalls(wallaroo, new ScheduledRuns(CronSchedule.Parse("*/1 * * * *"), 2)))
        {
            var call = scheduled.Prepare(scorer, JsonValue.Create(3), 30);
            answers = [await call(CancellationToken.None), await call(CancellationToken.None)];
            taskId = scheduled.TaskId;
            timings = scheduled.TakeTimingSummary();
        }

        var runsAtKill = (await wallaroo.Wallaroo.RunsAsync(taskId!, CancellationToken.None)).Count;
        await Task.Delay(wallaroo.ScheduleMinute * 2);
        var runsLater = (await wallaroo.Wallaroo.RunsAsync(taskId!, CancellationToken.None)).Count;

        answers.Should().AllSatisfy(answer => answer.Body!["result"]!["score"]!.GetValue<int>().Should().Be(18));
        answers.Should().AllSatisfy(answer => answer.WallSeconds.Should().BeLessThan(wallaroo.ScheduleMinute.TotalSeconds, "latency counts from the run's own tick"));
        timings.Should().Contain("('*/1 * * * *', a minute lasting 2 s)").And.Contain("start latency (tick → its code's first log line) p50 ");
        runsLater.Should().Be(runsAtKill, "a killed task starts no more runs");
    }

    [Fact]
    public async Task DeleteAll_KillsTheLiveTasksOfEarlierRunsOrchestrations_AndCountsThem()
    {
        var workflow = scenario.Exports.Workflow("orphans", """
            { "algorithms": [ { "name": "Scorer", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 } ] }
            """);
        var crashed = scenario.Exports.WallarooExport(workflow);
        var scorer = await crashed.ExportAsync("Scorer", new ListLogger(), CancellationToken.None);
        var wallaroo = scenario.Exports.Targets.Wallaroo!.Wallaroo;
        var left = await wallaroo.RunScheduledAsync(scorer.Version, "left behind", 1, "*/5 * * * *", new JsonObject { ["input"] = 1 }, 30, CancellationToken.None);

        var killed = await scenario.Exports.WallarooExport(workflow).DeleteAllAsync(new ListLogger(), CancellationToken.None);
        var again = await scenario.Exports.WallarooExport(workflow).DeleteAllAsync(new ListLogger(), CancellationToken.None);

        killed.Should().Be(1, "the smoke run's task ended by itself; the schedule was live");
        again.Should().Be(0);
        (await wallaroo.KillIfLiveAsync(left, CancellationToken.None)).Should().BeFalse();
    }

    /// <summary>The embedded source and Wallaroo, with the templates the tests export.</summary>
    public sealed class Scenario : IAsyncLifetime
    {
        public ExportScenario Exports { get; } = new() { Kinds = [TargetKind.Wallaroo] };

        public async Task InitializeAsync()
        {
            Exports.Repository.WithTemplate("Scorer", Scorer);
            await Exports.InitializeAsync();
        }

        public Task DisposeAsync() => Exports.DisposeAsync();
    }
}
