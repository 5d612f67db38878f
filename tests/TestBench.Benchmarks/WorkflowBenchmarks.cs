using FluentAssertions;
using TestBench.Runner.Cases;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.History;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Running;
using TestBench.Harness.Wallaroo;
using Xunit;
using Xunit.Abstractions;

namespace TestBench.Benchmarks;

/// <summary>The benchmark: every workflow's exports and tests, one generated case each.</summary>
[Collection(BenchmarkRun.Name)]
[TestCaseOrderer(WorkflowCaseOrderer.TypeName, WorkflowCaseOrderer.AssemblyName)]
public sealed class WorkflowBenchmarks(BenchmarkFixture fixture, ITestOutputHelper output)
{
    private const string CleanupIsOptIn = "Clean-up is opt-in: set RUN_CLEANUP=true (or .runsettings RunCleanup) to delete every exported algorithm of the workflow.";

    [WorkflowCases]
    public async Task Run(WorkflowCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var name = @case.ToString();
        fixture.Results.Start(new CaseRecord { Name = name, Workflow = @case.Workflow, Stage = @case.Stage.ToString().ToLowerInvariant(), Target = @case.Target, StartedAt = TimeProvider.System.GetUtcNow() });
        string? skipReason = null;
        var outcome = CaseOutcome.Passed;
        string? reason = null;
        try
        {
            Skip.If(@case.Stage == CaseStage.Cleanup && !fixture.Settings.RunCleanup, CleanupIsOptIn);

            // A target found down fails its remaining cases at once, with the reason it was found down.
            if (fixture.Outages.Of(@case.Target) is { } outage && @case.Stage != CaseStage.Load)
            {
                throw new TargetDownException(outage.Describe());
            }

            await RunStageAsync(@case);
        }
        catch (SkipException e)
        {
            (skipReason, outcome, reason) = (e.Message, CaseOutcome.Skipped, e.Message);
            throw;
        }
        catch (Exception e)
        {
            (outcome, reason) = (CaseOutcome.Failed, fixture.Redactor.Redact(e.Message));
            if (e is not TargetDownException
                && await fixture.Outages.CheckAfterFailureAsync(@case.Target, name, e, fixture.ExistingExport(@case.File, TargetOf(@case)) is { } export ? export.ProbeAsync : null) is { } down)
            {
                output.WriteLine($"The {down.Target} target stopped answering: {down.Reason} Its remaining cases fail at once.");
            }

            throw;
        }
        finally
        {
            // A failed case ran too: only skips count as not measured.
            fixture.Cases.Add(@case.Stage, skipped: skipReason is not null, skipReason);
            fixture.Results.Finish(name, outcome, reason, TimeProvider.System.GetUtcNow());
        }
    }

    private static TargetKind TargetOf(WorkflowCase @case) => Enum.Parse<TargetKind>(@case.Target, ignoreCase: true);

    private async Task RunStageAsync(WorkflowCase @case)
    {
        var target = TargetOf(@case);
        var export = await fixture.ExportOfAsync(@case.File, target, CancellationToken.None);
        var logger = new TestOutputLogger(output, fixture.Redactor);
        switch (@case.Stage)
        {
            case CaseStage.Load:
                // Discovery found problems; loading succeeded now, so the file changed since discovery.
                throw new InvalidOperationException($"{@case.File} was invalid at discovery but loads now; run the tests again.");
            case CaseStage.Export:
                var before = Calibration.Measure(fixture.Run);
                var exported = await ExportAsync(export, @case.Algorithm!, logger);
                output.WriteLine($"{@case}: exported as {exported.Location} (environment {exported.EnvironmentId})");
                await JudgeExportAsync(export, target, exported, before, logger);
                break;
            case CaseStage.Cleanup:
                var deleted = await export.DeleteAllAsync(logger, CancellationToken.None);
                output.WriteLine($"{@case}: clean-up removed {deleted} thing(s) TestBench had left on the destination (exported algorithms with their data, jobs, or live tasks)");
                break;
            default:
                if (@case.ComparedOn is not null)
                {
                    await CompareAsync(export, target, @case, logger);
                }
                else
                {
                    await BenchmarkAsync(export, target, @case, logger);
                }

                break;
        }
    }

    private const string OpenModelOnWallaroo = "Open-model tests are not run on Wallaroo: each call is a task run (a process started, its logs read), so calls per second would measure task start-up and polling, not a serving rate.";

    private async Task BenchmarkAsync(IWorkflowExport export, TargetKind target, WorkflowCase @case, TestOutputLogger logger)
    {
        var test = export.Workflow.TestInfo!.Tests.Single(t => t.Name == @case.Subject);
        Skip.If(target == TargetKind.Wallaroo && test.OpenLoad is not null, OpenModelOnWallaroo);
        Skip.If(target != TargetKind.Wallaroo && test.Schedule is not null, $"A scheduled test ('{test.Schedule?.Cron.Text}') needs task schedules: it runs on the wallaroo target.");
        Skip.If(test.Async && export.Calls.AsyncCallsUnsupported is not null, $"An async test ('async': true) needs asynchronous calls. {export.Calls.AsyncCallsUnsupported}.");
        ExportedAlgorithm entrypoint;
        try
        {
            entrypoint = await ExportAsync(export, @case.Algorithm!, logger);
        }
        catch (ExportException e)
        {
            throw ExportException.Blocked(e.Workflow, e.Algorithm, "Benchmark", e);
        }

        var ratchet = fixture.RatchetOf(export.Workflow.Name, target);
        // A scheduled test's calls are the runs of a scheduled task, killed when the test is done.
        await using var scheduled = test.Schedule is { } schedule && export is WallarooWorkflowExport wallaroo ? new ScheduledTaskCalls(wallaroo.Target, schedule) : null;
        IBenchmarkCalls calls = scheduled is null ? export.Calls : scheduled;
        var outcome = await fixture.BenchmarkOn(calls, target).RunAsync(export.Workflow.Name, test, entrypoint, ratchet, CancellationToken.None, m => fixture.HistoryOfAsync(m with { Target = @case.Target }));
        var measurement = outcome.Measurement with { Target = @case.Target };
        fixture.Results.Add(measurement);
        output.WriteLine(measurement.Describe());
        if (calls.TakeTimingSummary() is { } timings)
        {
            output.WriteLine(fixture.Redactor.Redact(timings));
        }

        if (outcome.RatchetNote is { } note)
        {
            output.WriteLine(note);
        }

        // Throttling on a machine the noise guard found disturbed is inconclusive (its reasons are in the note above).
        if (outcome.Ratchet is not { NoiseGuarded: true } && !measurement.Succeeded)
        {
            Assert.Fail($"'{test.Name}' on the {@case.Target} target, calling {entrypoint.ExportedName} (timeout {test.TimeoutSeconds} s): {measurement.Load.DescribeFailures()}");
        }

        if (outcome.Approval is { } approval)
        {
            approval.Matched.Should().BeTrue(approval.Message);
        }

        if (outcome.Ratchet!.Verdict == RatchetVerdict.Regressed)
        {
            var bars = Path.GetRelativePath(fixture.Layout.Root, ratchet.VerifiedPath);
            Assert.Fail($"'{test.Name}' regressed against its bar in {bars}: {string.Join("; ", outcome.Ratchet.Reasons)}. Bars never loosen by themselves.");
        }

        // The history's verdict: a shift too small for one run's bar, sustained over the latest runs (issue #28).
        if (outcome.History is { } history)
        {
            output.WriteLine($"history of '{test.Name}' on {@case.Target}: {history.Describe()}");
            if (history.Judgement is { Verdict: HistoryVerdict.Regressed, Policy.Enforce: true } regression)
            {
                Assert.Fail($"'{test.Name}' on the {@case.Target} target is in a sustained regression: {regression.Describe()}. The runs since it began are slower than the ones before, beyond the threshold and more than shuffled runs ever are.");
            }
        }
    }

    /// <summary>
    /// Compares the test on the run's baseline and candidate (issue #27): both exported, then interleaved pairs of blocks
    /// judged on their paired ratios. A worse candidate fails the case (unless the run makes it a warning); the sentence
    /// and every pair go to the results. No bars are read or written.
    /// </summary>
    private async Task CompareAsync(IWorkflowExport baseline, TargetKind target, WorkflowCase @case, TestOutputLogger logger)
    {
        var comparison = fixture.Settings.Comparison!;
        var test = baseline.Workflow.TestInfo!.Tests.Single(t => t.Name == @case.Subject);
        Skip.If(target == TargetKind.Wallaroo && test.OpenLoad is not null, OpenModelOnWallaroo);
        Skip.If(test.Schedule is not null, $"A scheduled test ('{test.Schedule?.Cron.Text}') is a task schedule's runs, not calls: comparisons compare calls.");
        Skip.If(test.Async && baseline.Calls.AsyncCallsUnsupported is not null, $"An async test ('async': true) needs asynchronous calls. {baseline.Calls.AsyncCallsUnsupported}.");
        async Task<ComparedSide> ExportSideAsync(ComparisonSide side, int instance)
        {
            try
            {
                var export = await fixture.ComparedExportOfAsync(@case.File, target, side, instance, CancellationToken.None);
                return new ComparedSide(export.Calls, await ExportAsync(export, @case.Algorithm!, logger));
            }
            catch (Exception e) when (e is not SkipException)
            {
                var named = $"the {side.ToString().ToLowerInvariant()} side{(comparison.Instances > 1 ? $" (instance {instance + 1} of {comparison.Instances})" : "")}";
                throw new InvalidOperationException($"{named} could not export {@case.Algorithm}: {e.Message}", e);
            }
        }

        // Every instance of both sides exports at once: each is a cluster of its own.
        var exported = await Task.WhenAll(Enumerable.Range(0, comparison.Instances).SelectMany(instance => new[] { ExportSideAsync(ComparisonSide.Baseline, instance), ExportSideAsync(ComparisonSide.Candidate, instance) }));
        var instances = exported.Chunk(2).Select(pair => new InstancePair(pair[0], pair[1])).ToArray();
        var measurement = await new TestComparison(comparison, fixture.Redactor, TimeProvider.System, seed: BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(@case.ToString()))))
            .RunAsync(baseline.Workflow.Name, test, instances, fixture.Run, CancellationToken.None);
        fixture.Results.AddComparison(measurement);
        output.WriteLine($"{@case}: {measurement.Sentence} (candidate over baseline, {measurement.Seconds:0.0} s of pairs)");
        if (fixture.ComparedBuilds() is { } builds)
        {
            output.WriteLine(builds);
        }

        if (measurement.Verdict == ComparisonVerdict.Worse && !comparison.WorseIsWarning)
        {
            Assert.Fail($"'{test.Name}' on {target.TraitValue()}: the candidate is worse than the baseline — {measurement.Sentence}.");
        }
        else if (measurement.Verdict == ComparisonVerdict.Worse)
        {
            output.WriteLine("Not failed: TESTBENCH_COMPARE_WORSE=warn reports a worse candidate without failing its case.");
        }
    }

    /// <summary>Judges the export's measures against their bars (the machine calibrated before and after it), confirms a
    /// regression with a second export of the algorithm, records them, and fails the case on a confirmed regression.</summary>
    private async Task JudgeExportAsync(IWorkflowExport export, TargetKind target, ExportedAlgorithm exported, CalibrationSample before, TestOutputLogger logger)
    {
        var workflow = export.Workflow.Name;
        var ratchet = fixture.RatchetOf(workflow, target);
        var (outcomes, note) = ratchet.RecordExport(exported.TemplateName, exported.Measures, [before, Calibration.Measure(ratchet.Run)]);
        if (outcomes.Any(o => o.Verdict == RatchetVerdict.Regressed))
        {
            var beforeSecond = Calibration.Measure(ratchet.Run);
            var remeasured = await export.RemeasureAsync(exported.TemplateName, logger, CancellationToken.None);
            outcomes = ratchet.ConfirmExport(exported.TemplateName, outcomes, remeasured, [beforeSecond, Calibration.Measure(ratchet.Run)]);
        }

        fixture.Results.AddExport(ExportMeasurement.Of(workflow, exported.TemplateName, outcomes, ratchet.Run.At) with { Target = target.TraitValue() });
        foreach (var outcome in outcomes)
        {
            output.WriteLine($"export {outcome.Verdict.ToString().ToLowerInvariant()}: {outcome.Reason}");
        }

        if (note is not null)
        {
            output.WriteLine(note);
        }

        var regressed = outcomes.Where(o => o.Verdict == RatchetVerdict.Regressed).Select(o => o.Reason).ToArray();
        if (regressed.Length > 0)
        {
            var bars = Path.GetRelativePath(fixture.Layout.Root, ratchet.VerifiedPath);
            Assert.Fail($"the export of {exported.TemplateName} regressed against its bars in {bars}: {string.Join("; ", regressed)}. Bars never loosen by themselves.");
        }
    }

    private static async Task<ExportedAlgorithm> ExportAsync(IWorkflowExport export, string algorithm, TestOutputLogger logger)
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
