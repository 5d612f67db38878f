using System.Net;
using FluentAssertions;
using TestBench.Harness.Algorithmia.Replies;
using TestBench.Harness.Export;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Export;

/// <summary>Exports against the benchmark's real embedded source and destination clusters.</summary>
public sealed class WorkflowExportTests(ExportScenario scenario) : IClassFixture<ExportScenario>
{
    private const string Greeter = "import json, os\n\nMODEL = None\n\ndef load():\n    pass\n\ndef apply(input):\n    return 'hello ' + str(input)\n";

    [Fact]
    public async Task ExportBenchmarkCleanup_SmallWorkflow_LeavesTheDestinationEmptyAgain()
    {
        scenario.Repository.WithTemplate("Greeter", Greeter);
        var workflow = scenario.Workflow("greet", """
            { "test_info": { "entrypoint": "Greeter", "tests": [ { "name": "hi", "payload": "<algo>", "timeout": 30 } ] },
              "algorithms": [ { "name": "Greeter", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": "x" } ] }
            """);
        var export = scenario.Export(workflow);
        var logger = new ListLogger();

        var exported = await export.ExportAsync("Greeter", logger, CancellationToken.None);
        var call = await scenario.Target.Destination.Calls.CallAsync(exported.Owner, exported.ExportedName, exported.Version,
            Harness.Workflows.PayloadTemplate.Render(workflow.TestInfo!.Tests[0].Payload, exported.ExportedName), 30, CancellationToken.None);
        var copied = await scenario.Target.Destination.Data.FileSizeAsync($"data://testbench/{exported.ExportedName}/model.json", CancellationToken.None);
        await export.CleanupAsync(logger, CancellationToken.None);

        exported.ExportedName.Should().MatchRegex("^Greeter_[0-9a-f]{12}$");
        call.Succeeded.Should().BeTrue(call.ErrorMessage);
        call.Body!["result"]!.GetValue<string>().Should().Be($"hello {exported.ExportedName}");
        copied.Should().Be(new FileInfo(Path.Combine(scenario.ArtifactsDirectory, "model.json")).Length);
        logger.Text.Should().Contain("Copied data://.my/artifacts/model.json").And.Contain(": succeeded");
        (await scenario.Target.Destination.Algorithms.GetAsync("testbench", exported.ExportedName, CancellationToken.None)).Should().BeNull();
        (await scenario.Target.Destination.Data.FolderExistsAsync($"data://testbench/{exported.ExportedName}", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task Remeasure_ExportsAFreshCopyForItsMeasures_AndLeavesNoTrace()
    {
        scenario.Repository.WithTemplate("Twice", Greeter);
        var workflow = scenario.Workflow("twice", """
            { "algorithms": [ { "name": "Twice", "language": "python3", "test_payload": "x" } ] }
            """);
        var export = scenario.Export(workflow);
        var exported = await export.ExportAsync("Twice", new ListLogger(), CancellationToken.None);

        var measures = await export.RemeasureAsync("Twice", new ListLogger(), CancellationToken.None);
        var listed = await new ExportManifest(scenario.Target, "testbench", "twice").ReadAsync(CancellationToken.None);
        await export.CleanupAsync(new ListLogger(), CancellationToken.None);

        measures.Select(m => m.Name).Should().Contain([ExportMeasure.Build, ExportMeasure.ColdStart]);
        listed.Select(e => e.Algorithm).Should().Equal([exported.ExportedName], "the copy is deleted and forgotten once measured");
    }

    [Fact]
    public async Task Export_CodePathTarGz_BuildsTheArchivedSource()
    {
        var workflow = scenario.Workflow("packed", """
            { "algorithms": [ { "name": "Packed", "code_path": "data://.my/artifacts/greeter.tar.gz", "language": "python3", "test_payload": 1 } ] }
            """);

        var exported = await scenario.Export(workflow).ExportAsync("Packed", new ListLogger(), CancellationToken.None);
        var call = await scenario.Target.Destination.Calls.CallAsync(exported.Owner, exported.ExportedName, exported.Version, System.Text.Json.Nodes.JsonValue.Create(5), 30, CancellationToken.None);

        call.Body!["result"]!.GetValue<string>().Should().Be("packed 5");
    }

    [Theory]
    [InlineData("climbing.tar.gz", "entry '../../escaped.py' climbs out with '..'")]
    [InlineData("absolute.tar.gz", "entry '/tmp/testbench-absolute.py' has an absolute path")]
    [InlineData("linking.tar.gz", "entry 'src/evil' is a SymbolicLink; only files and folders are accepted")]
    public async Task Export_MaliciousTarGz_IsRefusedNamingTheEntry(string archive, string reason)
    {
        var name = "Evil" + archive.Split('.')[0];
        var workflow = scenario.Workflow(name.ToLowerInvariant(), $$"""
            { "algorithms": [ { "name": "{{name}}", "code_path": "data://.my/artifacts/{{archive}}", "language": "python3", "test_payload": 1 } ] }
            """);

        var act = () => scenario.Export(workflow).ExportAsync(name, new ListLogger(), CancellationToken.None);

        var failure = (await act.Should().ThrowAsync<ExportException>()).Which;
        failure.Step.Should().Be("Source push");
        failure.Message.Should().Be($"Source push of '{name}' (workflow {name.ToLowerInvariant()}) failed: {reason}");
        File.Exists("/tmp/testbench-absolute.py").Should().BeFalse();
    }

    [Fact]
    public async Task Export_BuildFails_ShowsTheLogAndBlocksLaterAlgorithms()
    {
        scenario.Repository.WithTemplate("Fragile", "def apply(input):\n    return input\n");
        File.WriteAllText(Path.Combine(scenario.Repository.Root, "algorithms", "Fragile", "requirements.txt"), "fragile refuses to build ==\n");
        scenario.Repository.WithTemplate("Dependent");
        var workflow = scenario.Workflow("fragile", """
            { "algorithms": [ { "name": "Fragile", "language": "python3", "test_payload": 1 },
                              { "name": "Dependent", "language": "python3", "test_payload": 1 } ] }
            """);
        var export = scenario.Export(workflow);

        var first = () => export.ExportAsync("Fragile", new ListLogger(), CancellationToken.None);
        var second = () => export.ExportAsync("Dependent", new ListLogger(), CancellationToken.None);

        var build = (await first.Should().ThrowAsync<ExportException>()).Which;
        build.Message.Should().StartWith("Build of 'Fragile' (workflow fragile) failed: build ").And.Contain("Build log:").And.Contain("fragile refuses to build");
        var blocked = (await second.Should().ThrowAsync<ExportException>()).Which;
        blocked.Message.Should().StartWith("Export of 'Dependent' (workflow fragile) failed: blocked by export of Fragile: Build of 'Fragile'");
        blocked.BlockedBy.Should().BeSameAs(build);
        build.BlockedBy.Should().BeNull();
    }

    [Fact]
    public async Task Export_EnvironmentNotInstallable_IsAPrerequisiteNotAFailure()
    {
        scenario.Repository.WithTemplate("Legacy");
        var workflow = scenario.Workflow("legacy", """
            { "algorithms": [ { "name": "Legacy", "environment_name": "Python 2.7", "test_payload": 1 } ] }
            """);

        var act = () => scenario.Export(workflow).ExportAsync("Legacy", new ListLogger(), CancellationToken.None);

        (await act.Should().ThrowAsync<PrerequisiteMissingException>()).Which.Message
            .Should().StartWith("environment 'Python 2.7' is not installed on the destination, and syncing it reported: failed: Python 2.7 cannot be installed");
    }

    [Fact]
    public async Task Export_RunOnlyTwice_SecondRunSkipsDataCopyAndRebuild()
    {
        scenario.Repository.WithTemplate("Steady", Greeter.Replace("hello", "steady", StringComparison.Ordinal));
        var json = """
            { "algorithms": [ { "name": "Steady", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": "x" } ], "run_only": true }
            """;
        var firstLog = new ListLogger();
        var secondLog = new ListLogger();

        var first = await scenario.Export(scenario.Workflow("steady", json)).ExportAsync("Steady", firstLog, CancellationToken.None);
        var second = await scenario.Export(scenario.Workflow("steady", json)).ExportAsync("Steady", secondLog, CancellationToken.None);

        second.ExportedName.Should().Be(first.ExportedName);
        second.Version.Should().Be(first.Version);
        second.CreatedByThisRun.Should().BeFalse();
        secondLog.Text.Should().Contain("is already on the destination; skipped").And.Contain("unchanged, nothing pushed");
        firstLog.Text.Should().Contain("Copied").And.Contain("(pushed)");
        first.Measures.Select(m => m.Name).Should().Equal("data copy", "source push", "build", "test payload call", "cold start", "publish", "first published call");
        first.Measures.Should().OnlyContain(m => m.Value >= 0 && m.Unit != "MB/s");
        second.Measures.Should().BeEmpty("a re-run that copied, pushed and built nothing has no export to measure");
    }

    [Fact]
    public async Task Export_RunOnlyAfterAnExportThatDiedMidway_ResumesItAndCopiesNothingTwice()
    {
        // The first run gets through the data copy and the push, then its build fails (as a run killed mid-build leaves it).
        scenario.Repository.WithTemplate("Resumed", Greeter);
        var requirements = Path.Combine(scenario.Repository.Root, "algorithms", "Resumed", "requirements.txt");
        File.WriteAllText(requirements, "dies midway ==\n");
        var json = """
            { "algorithms": [ { "name": "Resumed", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": "x" } ], "run_only": true }
            """;
        var died = scenario.Export(scenario.Workflow("resumed", json));
        var firstRun = () => died.ExportAsync("Resumed", new ListLogger(), CancellationToken.None);
        await firstRun.Should().ThrowAsync<ExportException>();
        await died.CleanupAsync(new ListLogger(), CancellationToken.None);
        File.Delete(requirements);
        var log = new ListLogger();

        var resumed = await scenario.Export(scenario.Workflow("resumed", json)).ExportAsync("Resumed", log, CancellationToken.None);

        resumed.ExportedName.Should().Be(died.Names.ExportedName("Resumed"));
        resumed.CreatedByThisRun.Should().BeFalse("the algorithm the first run created is reused");
        log.Text.Should().Contain("is already on the destination; skipped").And.NotContain("Copied");
        using var manifest = await scenario.Target.Destination.Data.DownloadAsync("data://testbench/testbench_exports/resumed.json", CancellationToken.None);
        var entries = System.Text.Json.Nodes.JsonNode.Parse(await manifest.Content.ReadAsStringAsync())!.AsArray();
        entries.Should().ContainSingle("one export, written down once and completed by the second run")
            .Which!["complete"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Export_Logs_NeverContainAnyKey()
    {
        scenario.Repository.WithTemplate("Quiet", Greeter);
        var workflow = scenario.Workflow("quiet", """
            { "algorithms": [ { "name": "Quiet", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 } ] }
            """);
        var logger = new ListLogger();

        await scenario.Export(workflow).ExportAsync("Quiet", logger, CancellationToken.None);

        var keys = new[] { scenario.Target.Source.Connection.ApiKey, scenario.Target.Destination.Connection.ApiKey, scenario.Target.DestinationAdmin!.Connection.ApiKey };
        logger.Lines.Should().NotBeEmpty().And.OnlyContain(line => keys.All(key => !line.Contains(key, StringComparison.Ordinal)));
        scenario.Target.Destination.Connection.ToString().Should().NotContain(keys[1]);
    }

    [Fact]
    public async Task DeleteAll_RunOnlyExportsFromEarlierRuns_AreDeletedToo()
    {
        scenario.Repository.WithTemplate("Kept");
        var json = """{ "algorithms": [ { "name": "Kept", "language": "python3", "test_payload": 1 } ], "run_only": true }""";
        var exported = await scenario.Export(scenario.Workflow("kept", json)).ExportAsync("Kept", new ListLogger(), CancellationToken.None);
        var laterRun = scenario.Export(scenario.Workflow("kept", json));

        await laterRun.CleanupAsync(new ListLogger(), CancellationToken.None);
        var keptAfterCleanup = await scenario.Target.Destination.Algorithms.GetAsync("testbench", exported.ExportedName, CancellationToken.None);
        var deleted = await laterRun.DeleteAllAsync(new ListLogger(), CancellationToken.None);

        keptAfterCleanup.Should().NotBeNull("run_only exports survive the end-of-run clean-up");
        deleted.Should().Be(1);
        (await scenario.Target.Destination.Algorithms.GetAsync("testbench", exported.ExportedName, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteAll_ExportsOfEarlierRandomSuffixRuns_AreFoundThroughTheManifest()
    {
        scenario.Repository.WithTemplate("Left");
        var json = """{ "algorithms": [ { "name": "Left", "language": "python3", "test_payload": 1 } ] }""";
        // An earlier run that never cleaned up (killed, or KEEP_EXPORTS): its random suffix is not this run's.
        var earlier = await scenario.Export(scenario.Workflow("left", json)).ExportAsync("Left", new ListLogger(), CancellationToken.None);
        var thisRun = scenario.Export(scenario.Workflow("left", json));
        thisRun.Names.ExportedName("Left").Should().NotBe(earlier.ExportedName);

        var deleted = await thisRun.DeleteAllAsync(new ListLogger(), CancellationToken.None);

        deleted.Should().Be(2, "this run's name and the earlier run's");
        (await scenario.Target.Destination.Algorithms.GetAsync("testbench", earlier.ExportedName, CancellationToken.None)).Should().BeNull();
        (await scenario.Target.Destination.Data.FileSizeAsync("data://testbench/testbench_exports/left.json", CancellationToken.None)).Should().BeNull("nothing is left to list");
    }

    [Fact]
    public async Task Cleanup_FailedExport_IsDeletedWithTheRun()
    {
        scenario.Repository.WithTemplate("Broken", "def apply(input):\n    return input\n");
        File.WriteAllText(Path.Combine(scenario.Repository.Root, "algorithms", "Broken", "requirements.txt"), "broken on purpose ==\n");
        var export = scenario.Export(scenario.Workflow("broken", """{ "algorithms": [ { "name": "Broken", "language": "python3", "test_payload": 1 } ] }"""));
        var failing = () => export.ExportAsync("Broken", new ListLogger(), CancellationToken.None);
        await failing.Should().ThrowAsync<ExportException>();
        var name = export.Names.ExportedName("Broken");
        (await scenario.Target.Destination.Algorithms.GetAsync("testbench", name, CancellationToken.None)).Should().NotBeNull("the failed build left its algorithm");

        await export.CleanupAsync(new ListLogger(), CancellationToken.None);

        (await scenario.Target.Destination.Algorithms.GetAsync("testbench", name, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Client_ServerError_NamesClusterRouteStatusAndMessage()
    {
        var act = () => scenario.Target.Destination.Algorithms.CreateAsync("testbench", new CreateAlgorithmRequest("9bad", new AlgorithmDetails("bad"), new AlgorithmSettings("closed", "apl", "python3", "full", PipelineEnabled: true)), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<Harness.Algorithmia.AlgorithmiaApiException>()).Which;
        error.Status.Should().Be(HttpStatusCode.BadRequest);
        error.Code.Should().Be(2015);
        error.Message.Should().StartWith($"POST /v1/algorithms/testbench on the destination cluster at {scenario.Target.Destination.Connection.Address} failed: HTTP 400, error 2015: POST /v1/algorithms/testbench: 'name' is '9bad'; an algorithm name must start with a letter and contain only letters, digits and underscores (tried once (");
    }
}
