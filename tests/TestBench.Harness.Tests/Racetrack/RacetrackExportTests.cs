using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Racetrack;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Racetrack;

/// <summary>A pipeline workflow exported to the embedded Racetrack from the embedded source, as the benchmark does it.</summary>
public sealed class RacetrackExportTests(RacetrackExportTests.Scenario scenario) : IClassFixture<RacetrackExportTests.Scenario>
{
    /// <summary>Reads its bundled model (data://.my) and writes and reads back a private file (data://.algo).</summary>
    private const string Scorer = """
        import Algorithmia

        client = Algorithmia.client()


        def apply(input):
            model = client.file("data://.my/Scorer/model.json").getJson()
            client.file("data://.algo/temp/last.txt").put(str(input))
            names = [f.getName() for f in client.dir("data://.my/Scorer").files()]
            return {"score": sum(model["weights"]) * input, "echo": client.file("data://.algo/temp/last.txt").getString(), "files": names}
        """;

    /// <summary>Calls the scorer as the platform would, through algo://, and passes its error type on.</summary>
    private const string Caller = """
        import Algorithmia
        from Algorithmia.errors import AlgorithmException


        def apply(input):
            scorer = Algorithmia.client().algo("algo://.my/Scorer/latestPrivate").set_options(timeout=30)
            if input == "bad":
                try:
                    scorer.pipe(None)
                except AlgorithmException as error:
                    return {"error_seen": str(error)}
            response = scorer.pipe(input)
            return {"via": "pipe", "result": response.result, "content_type": response.metadata.content_type}
        """;

    [Fact]
    public async Task Pipeline_DataFilesAndAlgoCalls_WorkInsideJobs_AndCleanupDeletesTheJobs()
    {
        var workflow = scenario.Exports.Workflow("pipe", """
            { "test_info": { "entrypoint": "Caller", "tests": [ { "name": "t", "payload": 2, "timeout": 30 } ] },
              "algorithms": [
                { "name": "Scorer", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 },
                { "name": "Caller", "language": "python3", "test_payload": 1 } ] }
            """);
        var export = scenario.Exports.RacetrackExport(workflow);
        var logger = new ListLogger();

        var caller = await export.ExportAsync("Caller", logger, CancellationToken.None);
        var call = export.Calls.Prepare(caller, JsonValue.Create(2), 30);
        var answer = await call(CancellationToken.None);
        var failed = await export.Calls.Prepare(caller, JsonValue.Create("bad"), 30)(CancellationToken.None);
        var jobsBefore = await scenario.Exports.Targets.Racetrack!.Racetrack.ListJobsAsync(CancellationToken.None);
        await export.CleanupAsync(logger, CancellationToken.None);
        var jobsAfter = await scenario.Exports.Targets.Racetrack!.Racetrack.ListJobsAsync(CancellationToken.None);

        caller.Location.Should().MatchRegex("^job caller-[0-9a-f]{12} 1.0.0$");
        caller.Measures.Select(m => m.Name).Should().Contain([ExportMeasure.Deploy, ExportMeasure.ReadyWait, ExportMeasure.ColdStart, ExportMeasure.InputExampleCall]);
        answer.Succeeded.Should().BeTrue(answer.ErrorMessage);
        answer.Body!["result"]!.ToJsonString().Should().Be("""{"via":"pipe","result":{"score":12,"echo":"2","files":["model.json"]},"content_type":"json"}""");
        failed.Body!["result"]!["error_seen"]!.ToString().Should().Contain("answered HTTP 400", "a TypeError is an input error in Racetrack").And.Contain("unsupported operand");
        jobsBefore.Select(j => j.Name).Should().Contain([JobExporter.RacetrackName(export.Completed()[0].ExportedName), JobExporter.RacetrackName(caller.ExportedName)]);
        jobsAfter.Should().NotContain(j => j.Name.StartsWith("scorer-", StringComparison.Ordinal) || j.Name.StartsWith("caller-", StringComparison.Ordinal));
        logger.Text.Should().Contain("Bundled data://.my/artifacts/model.json").And.NotContain(scenario.Exports.Targets.Racetrack!.Racetrack.Connection.AuthToken);
    }

    [Fact]
    public async Task DeleteAll_FindsJobsOfEarlierRunsByName_AndLeavesOtherJobs()
    {
        var workflow = scenario.Exports.Workflow("orphans", """
            { "algorithms": [ { "name": "Orphan", "language": "python3", "test_payload": 1 } ] }
            """);
        var crashed = scenario.Exports.RacetrackExport(workflow);
        await crashed.ExportAsync("Orphan", new ListLogger(), CancellationToken.None);
        var racetrack = scenario.Exports.Targets.Racetrack!.Racetrack;
        var unrelated = JobPackage.FromTemplate(Path.Combine(scenario.Exports.Repository.Root, "algorithms", "Orphan"), "Orphan", "orphan-keepme", "1.0.0", null);
        await racetrack.WaitForDeploymentAsync(await racetrack.DeployAsync(unrelated.Manifest, unrelated.BuildContext, force: true, CancellationToken.None), TimeSpan.FromMinutes(2), TimeProvider.System, new ListLogger(), CancellationToken.None);

        // A later run has other names; its clean-up stage still finds the crashed run's job.
        var deleted = await scenario.Exports.RacetrackExport(workflow).DeleteAllAsync(new ListLogger(), CancellationToken.None);
        var jobs = await racetrack.ListJobsAsync(CancellationToken.None);

        deleted.Should().Be(1);
        jobs.Select(j => j.Name).Should().Contain("orphan-keepme").And.NotContain(name => name.StartsWith("orphan-", StringComparison.Ordinal) && name != "orphan-keepme");
    }

    [Fact]
    public async Task JobFolderTemplate_IsDeployedAsItIs_AndCalledWithThePayloadAsKeywordArguments()
    {
        var folder = Path.Combine(scenario.Exports.Repository.Root, "algorithms", "Adder");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "job.yaml"), """
            name: adder
            owner_email: team@example.test
            jobtype: python3:latest
            git:
              remote: https://example.test/adder.git
            version: 0.0.7
            jobtype_extra:
              entrypoint_path: entry.py
              max_concurrency: 2
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "entry.py"), "class Adder:\n    def perform(self, a: int, b: int = 1) -> int:\n        return a + b\n");
        var workflow = scenario.Exports.Workflow("native", """
            { "algorithms": [ { "name": "Adder", "language": "python3", "test_payload": { "a": 1 } } ] }
            """);
        var export = scenario.Exports.RacetrackExport(workflow);

        var adder = await export.ExportAsync("Adder", new ListLogger(), CancellationToken.None);
        var answer = await export.Calls.Prepare(adder, JsonNode.Parse("""{"a": 2, "b": 3}"""), 30)(CancellationToken.None);
        var notAnObject = () => export.Calls.Prepare(adder, JsonValue.Create(5), 30);
        await export.CleanupAsync(new ListLogger(), CancellationToken.None);

        adder.TakesKeywordArguments.Should().BeTrue();
        adder.Location.Should().MatchRegex("^job adder-[0-9a-f]{12} 1.0.0$", "the run's name and version replace the manifest's");
        adder.Measures.Select(m => m.Name).Should().NotContain(ExportMeasure.InputExampleCall, "a job deployed as it is may have no input example");
        answer.Body!["result"]!.GetValue<int>().Should().Be(5);
        notAnObject.Should().Throw<ArgumentException>().WithMessage("*must be a JSON object, not 5");
    }

    [Fact]
    public async Task JobFolderTemplate_PayloadNotFittingTheParameters_FailsTheExportNamingThem()
    {
        var folder = Path.Combine(scenario.Exports.Repository.Root, "algorithms", "Strict");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "job.yaml"), "name: strict\nowner_email: t@example.test\njobtype: python3:latest\ngit:\n  remote: https://example.test/s.git\njobtype_extra:\n  entrypoint_path: entry.py\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "entry.py"), "class Strict:\n    def perform(self, a, b):\n        return a\n");
        var workflow = scenario.Exports.Workflow("strict", """
            { "algorithms": [ { "name": "Strict", "language": "python3", "test_payload": { "a": 1, "c": 2 } } ] }
            """);

        var act = () => scenario.Exports.RacetrackExport(workflow).ExportAsync("Strict", new ListLogger(), CancellationToken.None);

        (await act.Should().ThrowAsync<ExportException>()).Which.Message.Should()
            .Be("Parameters check of 'Strict' (workflow strict) failed: the test payload does not fit perform's parameters [a, b] from /parameters: unknown c; missing b");
    }

    [Fact]
    public async Task Remeasure_ExportsAFreshCopyForItsMeasures_AndDeletesIt()
    {
        var workflow = scenario.Exports.Workflow("again", """
            { "algorithms": [ { "name": "Orphan", "language": "python3", "test_payload": 1 } ] }
            """);
        var export = scenario.Exports.RacetrackExport(workflow);
        var racetrack = scenario.Exports.Targets.Racetrack!.Racetrack;
        var exported = await export.ExportAsync("Orphan", new ListLogger(), CancellationToken.None);
        var before = (await racetrack.ListJobsAsync(CancellationToken.None)).Select(j => j.Name).ToArray();

        var measures = await export.RemeasureAsync("Orphan", new ListLogger(), CancellationToken.None);
        var after = (await racetrack.ListJobsAsync(CancellationToken.None)).Select(j => j.Name).ToArray();
        await export.CleanupAsync(new ListLogger(), CancellationToken.None);

        measures.Select(m => m.Name).Should().Contain([ExportMeasure.Deploy, ExportMeasure.ColdStart]);
        after.Should().BeEquivalentTo(before, "the copy is deleted once measured");
        before.Should().Contain(JobExporter.RacetrackName(exported.ExportedName));
    }

    [Fact]
    public async Task Export_Python2Algorithm_IsAMissingPrerequisite_NotAFailure()
    {
        var workflow = scenario.Exports.Workflow("old", """
            { "algorithms": [ { "name": "Orphan", "environment_name": "Python 2.7", "test_payload": 1 } ] }
            """);

        var act = () => scenario.Exports.RacetrackExport(workflow).ExportAsync("Orphan", new ListLogger(), CancellationToken.None);

        (await act.Should().ThrowAsync<PrerequisiteMissingException>()).Which.Message.Should().Contain("Racetrack's python3 job type runs Python 3 only");
    }

    /// <summary>The embedded source and Racetrack, with the templates the tests export.</summary>
    public sealed class Scenario : IAsyncLifetime
    {
        public ExportScenario Exports { get; } = new() { Kinds = [TargetKind.Racetrack] };

        public async Task InitializeAsync()
        {
            Exports.Repository.WithTemplate("Scorer", Scorer).WithTemplate("Caller", Caller).WithTemplate("Orphan");
            await Exports.InitializeAsync();
        }

        public Task DisposeAsync() => Exports.DisposeAsync();
    }
}
