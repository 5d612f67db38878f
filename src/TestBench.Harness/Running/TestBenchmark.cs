using System.Diagnostics;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Judging.Approvals;
using TestBench.Harness.History;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Running;

/// <summary>
/// Runs one workflow test against its exported entrypoint: the warm-up, then trials of the test's calls (as many as
/// its <see cref="TrialPlan"/> asks, judged against the bar at each checkpoint, with the machine calibrated before the
/// first trial and at every checkpoint), then the last result's expectation. A trial during which this machine stalled
/// the generator, or whose only failures were 429s and dropped calls, is run again (bounded): a moment's stall is not the
/// platform's capacity. Throttling that persists on a machine the noise guard finds disturbed is inconclusive, not a
/// failure (unless strict); any other failed call fails the test. A regression is confirmed by measuring the test again
/// (a fresh sample): it stands only if the second measurement regresses too; otherwise the test is inconclusive, and
/// the reasons say both. Failing the case is left to the caller,
/// so the benchmark cases and the tests of the ratchet run the very same steps. Every measurement carries the
/// caveats of <paramref name="measuredBuilds"/> that are not fit to measure.
/// </summary>
public sealed class TestBenchmark(IBenchmarkCalls destination, SecretRedactor redactor, Approver approver, TimeSpan trialBudget, IReadOnlyList<BuildFlavour>? measuredBuilds = null)
{
    /// <summary>How many stalled open-model trials are run again before one is kept as it is. <value>2.</value></summary>
    public const int StalledTrialRepeats = 2;

    private readonly string[] caveats = [.. (measuredBuilds ?? []).Select(build => build.Caveat).OfType<string>()];

    /// <summary>Measures and judges one test.</summary>
    /// <param name="workflow">The workflow's name.</param>
    /// <param name="test">The test.</param>
    /// <param name="entrypoint">The exported algorithm it calls.</param>
    /// <param name="bars">The workflow's bars on the target.</param>
    /// <param name="cancellationToken">Stops the calls.</param>
    /// <param name="history">Reads the history's verdict on the test's series ending in this measurement (issue #28);
    /// a lasting improvement the run alone does not show raises the bar. <see langword="null"/>: no history.</param>
    public async Task<BenchmarkOutcome> RunAsync(string workflow, WorkflowTest test, ExportedAlgorithm entrypoint, RatchetBook bars, CancellationToken cancellationToken, Func<Measurement, Task<HistoryReading>>? history = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(entrypoint);
        ArgumentNullException.ThrowIfNull(bars);
        var payload = PayloadTemplate.Render(test.Payload, entrypoint.ExportedName);
        var call = test.Async
            ? destination.PrepareAsynchronous(entrypoint, payload, test.TimeoutSeconds)
            : destination.Prepare(entrypoint, payload, test.TimeoutSeconds);
        CallResponse? last = null;
        async Task<CallResponse> Call(CancellationToken token) => last = await call(token).ConfigureAwait(false);

        await LoadRunner.WarmUpAsync(Call, test.Warmup, test.Concurrency, cancellationToken).ConfigureAwait(false);
        var (sample, ratchet, calibration, repeats) = await TrialsAsync(Call, test, bars, cancellationToken).ConfigureAwait(false);
        if (ratchet?.Verdict == RatchetVerdict.Regressed)
        {
            var second = await TrialsAsync(Call, test, bars, cancellationToken).ConfigureAwait(false);
            ratchet = Confirm(ratchet, second.Outcome);
            (sample, calibration, repeats) = (second.Sample, second.Calibration, [.. repeats, .. second.Repeats]);
        }

        var load = sample.Summarize();
        var measurement = new Measurement
        {
            Workflow = workflow,
            Test = test.Name,
            Algorithm = entrypoint.Location,
            Load = load with { FirstError = load.FirstError is { } error ? redactor.Redact(error) : null },
            PlatformSeconds = last?.PlatformSeconds,
            ContentType = last?.ContentType,
            ResultBytes = last?.ResponseBytes ?? 0,
            Judgement = ratchet is null ? null : Judgement.Of(ratchet),
            At = bars.Run.At,
            Caveats = [.. caveats, .. repeats],
        };
        HistoryReading? reading = null;
        if (history is not null && ratchet is not null && sample.Failures == 0)
        {
            reading = await history(measurement).ConfigureAwait(false);
            measurement = measurement with { History = reading.Describe() };
            if (reading.Judgement is { Verdict: HistoryVerdict.Improved, Policy.Enforce: true } lasting && ratchet.Verdict == RatchetVerdict.Same && ratchet.Noise?.Disturbed != true
                && bars.Judge.RaiseOnHistory(bars.BarOf(test.Name), sample, bars.Run, lasting.Describe()) is { } raised)
            {
                ratchet = raised with { Noise = ratchet.Noise };
                measurement = measurement with { Judgement = Judgement.Of(ratchet) };
            }
        }

        // A bar is only ever proposed from calls that all succeeded; failed calls are judged by the success assertion.
        var note = ratchet is null ? null : bars.Record(test.Name, ratchet, calibration);
        var approval = ratchet is not null && sample.Failures == 0 && test.Expect is { } expect ? approver.Check(workflow, test.Name, expect, last?.Body?["result"]) : null;
        return new BenchmarkOutcome(measurement, approval, ratchet, note) { History = reading };
    }

    /// <summary>
    /// Runs trials until the plan's last checkpoint; the outcome is <see langword="null"/> when a call failed. An
    /// open-model trial during which this machine stalled the generator is run again (at most
    /// <see cref="StalledTrialRepeats"/> times), each repeat named in the returned notes.
    /// </summary>
    private async Task<TrialsRun> TrialsAsync(
        Func<CancellationToken, Task<CallResponse>> call, WorkflowTest test, RatchetBook bars, CancellationToken cancellationToken)
    {
        List<string> repeats = [];
        var plan = TrialPlan.For(test, trialBudget, bars.Judge.Policy.MinCallsForThroughput, destination.CallsAreTaskRuns);
        List<CalibrationSample> calibrations = [Calibration.Measure(bars.Run)];
        var io = IoCounters.Read();
        var sample = TestSample.Empty;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var trial = test.OpenLoad is { } open
                ? await OpenLoadRunner.RunAsync(call, open, cancellationToken).ConfigureAwait(false)
                : await LoadRunner.RunTrialAsync(call, test.Repeat, test.Concurrency, cancellationToken).ConfigureAwait(false);
            if ((trial.GeneratorStalled || trial.OnlyOverloaded) && repeats.Count < StalledTrialRepeats)
            {
                repeats.Add(trial.GeneratorStalled
                    ? FormattableString.Invariant($"trial {sample.Trials.Count + 1} was run again: this machine stalled the load generator {trial.GeneratorLagSeconds * 1000:0} ms behind its schedule ({trial.Dropped} calls dropped, {trial.Throttled} throttled in it)")
                    : FormattableString.Invariant($"trial {sample.Trials.Count + 1} was run again: {trial.Throttled} calls throttled (429) and {trial.Dropped} dropped in it, no errors"));
                continue;
            }

            sample = sample.With(trial);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (sample.Failures > 0)
            {
                return new TrialsRun(sample, OverloadedOnNoisyMachine(trial, bars, calibrations), calibrations[0], repeats);
            }

            if (!plan.IsCheckpoint(sample.Trials.Count, elapsed))
            {
                continue;
            }

            calibrations.Add(Calibration.Measure(bars.Run));
            var noise = bars.Guard.Assess(calibrations) with { Io = io is { } start ? IoCounters.Read()?.Since(start) : null };
            var outcome = bars.Judge.Judge(bars.BarOf(test.Name), sample, noise, bars.Run);
            if (plan.IsFinal(sample.Trials.Count, elapsed, outcome))
            {
                return new TrialsRun(sample, outcome.Verdict == RatchetVerdict.Inconclusive && !outcome.NoiseGuarded
                    ? outcome with { Reasons = [.. outcome.Reasons, $"still undecided after {sample.Trials.Count} trials in {elapsed.TotalSeconds:0.0} s (trial budget {plan.Budget.TotalSeconds:0} s)"] }
                    : outcome, calibrations[0], repeats);
            }
        }
    }

    /// <summary>A regression stands when the second measurement regressed too; otherwise the test is inconclusive.</summary>
    private static RatchetOutcome? Confirm(RatchetOutcome first, RatchetOutcome? second) => second switch
    {
        null => null,
        { Verdict: RatchetVerdict.Regressed } => second with { Reasons = [.. second.Reasons, $"confirmed by a second measurement (the first: {string.Join("; ", first.Reasons)})"] },
        _ => second with
        {
            Verdict = RatchetVerdict.Inconclusive,
            Proposed = null,
            Reasons = [$"a regression was not confirmed by a second measurement: the first measured {string.Join("; ", first.Reasons)}; the second was {second.Verdict.ToString().ToLowerInvariant()}: {string.Join("; ", second.Reasons)}"],
        },
    };

    /// <summary>
    /// The outcome of a trial that still failed after its repeats: when every failure was a 429 or a dropped call and the
    /// noise guard finds the machine disturbed, <see cref="RatchetVerdict.Inconclusive"/> (noise-guarded, so no bar is
    /// proposed); otherwise <see langword="null"/> (a failed test) — always in strict mode.
    /// </summary>
    private static RatchetOutcome? OverloadedOnNoisyMachine(Trial trial, RatchetBook bars, List<CalibrationSample> calibrations)
    {
        if (!trial.OnlyOverloaded || bars.Judge.Policy.Strict)
        {
            return null;
        }

        calibrations.Add(Calibration.Measure(bars.Run));
        var noise = bars.Guard.Assess(calibrations);
        return noise.Disturbed
            ? new RatchetOutcome(RatchetVerdict.Inconclusive, null, [FormattableString.Invariant($"{trial.Throttled} calls throttled (429) and {trial.Dropped} dropped of {trial.Records.Count} while the machine was noisy ({noise.Describe()}): not counted as the platform's failure (RatchetStrictness=strict fails it)")])
            {
                Noise = noise,
                NoiseGuarded = true,
            }
            : null;
    }
}

/// <summary>A test's trials: the sample, its final outcome (<see langword="null"/> when a call failed), the first
/// calibration, and a note for each trial run again because this machine stalled the generator.</summary>
internal sealed record TrialsRun(TestSample Sample, RatchetOutcome? Outcome, CalibrationSample Calibration, IReadOnlyList<string> Repeats);

/// <summary>What one test's run measured, and how it compared with its expectation and its bar
/// (both <see langword="null"/> when a call failed).</summary>
public sealed record BenchmarkOutcome(Measurement Measurement, ApprovalResult? Approval, RatchetOutcome? Ratchet, string? RatchetNote)
{
    /// <summary>The history's verdict on the test's series, when the run has a history.</summary>
    public HistoryReading? History { get; init; }
}
