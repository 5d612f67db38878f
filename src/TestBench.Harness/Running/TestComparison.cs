using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Running;

/// <summary>What one side of a comparison calls: its call path and the exported entrypoint there.</summary>
public sealed record ComparedSide(IBenchmarkCalls Calls, ExportedAlgorithm Entrypoint);

/// <summary>
/// Compares one workflow test on a baseline and a candidate destination (issue #27): each side's call is prepared and
/// warmed up as the benchmark does, then <see cref="InterleavedTrials"/> run blocks — trials of the test's <c>repeat</c>
/// calls from <c>concurrency</c> callers, at least <see cref="MinBlockCalls"/> calls — on alternating sides and judge the pairs of block medians. The
/// machine is calibrated at the start; each look compares a fresh calibration with it (the noise guard), so a
/// disturbed machine holds the verdict back instead of failing it.
/// </summary>
/// <param name="settings">The comparison's policy and budget.</param>
/// <param name="redactor">Keeps secrets out of the first errors.</param>
/// <param name="time">The budget's clock.</param>
/// <param name="seed">Seeds the pairs' order; a comparison is reproducible from it.</param>
public sealed class TestComparison(ComparisonSettings settings, SecretRedactor redactor, TimeProvider time, int seed)
{
    /// <summary>The fewest calls a block makes: a test's trial is repeated until the block has this many, so that a
    /// block's median of sub-millisecond calls is not mostly scheduling. <value>100.</value></summary>
    public const int MinBlockCalls = 100;

    /// <summary>Compares <paramref name="test"/> on both sides.</summary>
    /// <exception cref="ComparisonSideFailedException">A side's calls failed.</exception>
    public async Task<ComparisonMeasurement> RunAsync(string workflow, WorkflowTest test, ComparedSide baseline, ComparedSide candidate, RunIdentity run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var calls = new Dictionary<ComparisonSide, Func<CancellationToken, Task<CallResponse>>>
        {
            [ComparisonSide.Baseline] = Prepare(baseline, test),
            [ComparisonSide.Candidate] = Prepare(candidate, test),
        };
        foreach (var call in calls.Values)
        {
            await LoadRunner.WarmUpAsync(call, test.Warmup, test.Concurrency, cancellationToken).ConfigureAwait(false);
        }

        var guard = new NoiseGuard(Calibration.Measure(run), new VerdictPolicy());
        string? Disturbance() => guard.Assess([Calibration.Measure(run)]) is { Disturbed: true } reading ? reading.Describe() : null;
        async Task<Block> RunBlock(ComparisonSide side, CancellationToken token)
        {
            List<Trial> trials = [];
            do
            {
                trials.Add(await LoadRunner.RunTrialAsync(calls[side], test.Repeat, test.Concurrency, token).ConfigureAwait(false));
            }
            while (trials.Sum(t => t.Records.Count) < MinBlockCalls);

            var records = trials.SelectMany(t => t.Records).ToArray();
            var succeeded = records.Where(r => r.Outcome == CallOutcome.Succeeded).Select(r => r.LatencySeconds).ToArray();
            var error = trials.Select(t => t.FirstError).FirstOrDefault(e => e is not null);
            return new Block(side, records.Length, records.Length - succeeded.Length, succeeded.Length == 0 ? 0 : NoiseGuard.Median(succeeded), error is null ? null : redactor.Redact(error));
        }

        var compared = await new InterleavedTrials(settings.Policy, settings.Budget, time, new Random(seed)).RunAsync(RunBlock, Disturbance, cancellationToken).ConfigureAwait(false);
        return ComparisonMeasurement.Of(workflow, test.Name, settings.Kind.TraitValue(), compared, run.At);
    }

    private static Func<CancellationToken, Task<CallResponse>> Prepare(ComparedSide side, WorkflowTest test)
    {
        var payload = PayloadTemplate.Render(test.Payload, side.Entrypoint.ExportedName);
        return test.Async
            ? side.Calls.PrepareAsynchronous(side.Entrypoint, payload, test.TimeoutSeconds)
            : side.Calls.Prepare(side.Entrypoint, payload, test.TimeoutSeconds);
    }
}
