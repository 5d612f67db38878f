using FluentAssertions;
using TestBench.Benchmarks.Cases;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Approvals;
using TestBench.Harness.Benchmark;
using TestBench.Harness.Export;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Workflows;
using Xunit;
using Xunit.Abstractions;

namespace TestBench.Benchmarks;

/// <summary>The benchmark: every workflow's exports and tests, one generated case each.</summary>
[Collection(BenchmarkRun.Name)]
[TestCaseOrderer(WorkflowCaseOrderer.TypeName, WorkflowCaseOrderer.AssemblyName)]
public sealed class WorkflowBenchmarks(BenchmarkFixture fixture, ITestOutputHelper output)
{
    [WorkflowCases]
    public async Task Run(WorkflowCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var export = await fixture.ExportOfAsync(@case.File, CancellationToken.None);
        var logger = new TestOutputLogger(output, fixture.Redactor);
        switch (@case.Stage)
        {
            case CaseStage.Load:
                // Discovery found problems; loading succeeded now, so the file changed since discovery.
                throw new InvalidOperationException($"{@case.File} was invalid at discovery but loads now; run the tests again.");
            case CaseStage.Export:
                var exported = await ExportAsync(export, @case.Algorithm!, logger);
                output.WriteLine($"{@case}: exported as {exported.Owner}/{exported.ExportedName} at {exported.GitHash} (environment {exported.EnvironmentId})");
                break;
            case CaseStage.Cleanup:
                Skip.IfNot(fixture.Settings.RunCleanup, "Clean-up is opt-in: set RUN_CLEANUP=true (or .runsettings RunCleanup) to delete every exported algorithm of the workflow.");
                var deleted = await export.DeleteAllAsync(logger, CancellationToken.None);
                output.WriteLine($"{@case}: {deleted} exported algorithm(s) and their data collections are gone");
                break;
            default:
                await BenchmarkAsync(export, @case, logger);
                break;
        }
    }

    private async Task BenchmarkAsync(WorkflowExport export, WorkflowCase @case, TestOutputLogger logger)
    {
        var test = export.Workflow.TestInfo!.Tests.Single(t => t.Name == @case.Subject);
        ExportedAlgorithm entrypoint;
        try
        {
            entrypoint = await ExportAsync(export, @case.Algorithm!, logger);
        }
        catch (ExportException e)
        {
            throw new ExportException(e.Workflow, e.Algorithm, "Benchmark", e.Step == "Export" ? e.Reason : $"blocked by export of {e.Algorithm}: {e.Message}", e);
        }

        var payload = PayloadTemplate.Render(test.Payload, entrypoint.ExportedName);
        CallResponse? last = null;
        var load = await LoadRunner.RunAsync(
            async token => last = await fixture.Target.Destination.CallAsync(entrypoint.Owner, entrypoint.ExportedName, entrypoint.GitHash, payload, test.TimeoutSeconds, token),
            test.Repeat,
            test.Concurrency,
            test.Warmup,
            CancellationToken.None);
        var measurement = new Measurement
        {
            Workflow = export.Workflow.Name,
            Test = test.Name,
            Algorithm = $"{entrypoint.Owner}/{entrypoint.ExportedName}/{entrypoint.GitHash}",
            Load = load with { FirstError = load.FirstError is { } error ? fixture.Redactor.Redact(error) : null },
            PlatformSeconds = last?.PlatformSeconds,
            ContentType = last?.ContentType,
            ResultBytes = last?.ResponseBytes ?? 0,
            At = DateTimeOffset.UtcNow,
        };
        fixture.Results.Add(measurement);
        output.WriteLine(measurement.Describe());
        measurement.Succeeded.Should().BeTrue($"every call to {entrypoint.ExportedName} should succeed within {test.TimeoutSeconds} s, but: {measurement.Load.FirstError}");

        if (test.Expect is { } expect)
        {
            var approval = new Approver(fixture.Layout.Root).Check(export.Workflow.Name, test.Name, expect, last?.Body?["result"]);
            approval.Matched.Should().BeTrue(approval.Message);
        }

        var ratchet = fixture.RatchetOf(export.Workflow.Name);
        var (outcome, note) = ratchet.Check(test.Name, load);
        output.WriteLine(note);
        outcome.Verdict.Should().NotBe(RatchetVerdict.Failed, $"the bar in {ratchet.VerifiedPath} must hold: {string.Join("; ", outcome.Reasons)}");
    }

    private static async Task<ExportedAlgorithm> ExportAsync(WorkflowExport export, string algorithm, TestOutputLogger logger)
    {
        try
        {
            return await export.ExportAsync(algorithm, logger, CancellationToken.None);
        }
        catch (PrerequisiteMissingException e)
        {
            throw new SkipException($"Skipped: {e.Message}");
        }
    }
}
