using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Reporting;
using TestBench.Harness.Resilience;
using TestBench.Harness.Running;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class ExportCleanupTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-cleanup-").FullName;
    private readonly ResultsFile results;
    private readonly TargetOutages outages;
    private readonly SecretRedactor redactor = new(["key0123456789"]);

    public ExportCleanupTests()
    {
        results = new ResultsFile(directory);
        outages = new TargetOutages(results, () => redactor, TimeProvider.System);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_failed_cleanup_on_an_answering_target_is_recorded_with_what_it_left_and_how_to_delete_it_and_the_others_still_run()
    {
        var failing = new ScriptedExport("hello_world", ["testbench/hello_world_1a2b"]) { CleanupFailure = new InvalidOperationException("DELETE refused with key0123456789") };
        var next = new ScriptedExport("other", ["testbench/other_3c4d"]);

        var failed = await new ExportCleanup(results, outages, redactor).RunAsync([CleanupItem.OnTarget("local", failing), CleanupItem.OnTarget("local", next)], NullLogger.Instance);

        var leftover = failed.Should().ContainSingle().Subject;
        leftover.Should().Be(results.Leftovers.Single());
        leftover.Items.Should().Equal("testbench/hello_world_1a2b");
        leftover.Why.Should().Be("DELETE refused with ***");
        leftover.HowToDelete.Should().Be("RUN_CLEANUP=true dotnet test tests/TestBench.Benchmarks --settings .runsettings --filter \"Workflow=hello_world&Stage=Cleanup&Target=local\"");
        failing.ProbeCalls.Should().Be(1, "a failed clean-up asks whether the target is still there");
        next.CleanupCalls.Should().Be(1, "one failure does not stop the others");
        using var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(results.Path));
        written.RootElement.GetProperty("leftovers").GetArrayLength().Should().Be(1, "the results file on disk has it already");
    }

    [Fact]
    public async Task A_cleanup_that_finds_the_target_gone_leaves_a_record_but_is_no_cleanup_failure()
    {
        var gone = new TargetFaultException(new TargetEndpoint("racetrack target", new Uri("http://127.0.0.1:9/")), "DELETE /api/v1/job/x/1", FaultKind.Unreachable, "the connection was refused", new Attempts(5, TimeSpan.FromSeconds(4)));
        var export = new ScriptedExport("hello_world", ["hello-world-1a2b 1.0.0"]) { CleanupFailure = gone };

        var failed = await new ExportCleanup(results, outages, redactor).RunAsync([CleanupItem.OnTarget("racetrack", export)], NullLogger.Instance);

        failed.Should().BeEmpty("the target is down: its leftovers are recorded, the run's clean-up did not fail");
        results.Leftovers.Should().ContainSingle().Which.Why.Should().EndWith("(the target stopped answering)");
        outages.Of("racetrack")!.FoundDuring.Should().Be("clean-up of hello_world");
        export.ProbeCalls.Should().Be(0, "the fault already says the server gave no answer");
    }

    [Fact]
    public async Task A_target_already_down_is_not_asked_and_what_was_created_there_is_listed()
    {
        var down = new TargetFaultException(new TargetEndpoint("wallaroo target", new Uri("http://127.0.0.1:9/")), "POST /v1/api/task/run_once", FaultKind.Hung, "no answer within 100 s", new Attempts(2, TimeSpan.FromSeconds(200)));
        await outages.CheckAfterFailureAsync("wallaroo", "hello_world › basic test", down, probe: null);
        var created = new ScriptedExport("hello_world", ["orchestration hello-world-1a2b"]);
        var nothing = new ScriptedExport("other", []);

        var failed = await new ExportCleanup(results, outages, redactor).RunAsync([CleanupItem.OnTarget("wallaroo", created), CleanupItem.OnTarget("wallaroo", nothing)], NullLogger.Instance);

        failed.Should().BeEmpty();
        (created.CleanupCalls + nothing.CleanupCalls).Should().Be(0);
        results.Leftovers.Should().ContainSingle().Which.Why.Should().Be("not attempted: the target stopped answering during 'hello_world › basic test'");
    }
}
