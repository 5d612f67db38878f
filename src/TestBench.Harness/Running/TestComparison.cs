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

/// <summary>A baseline and a candidate started together: one instance of each side.</summary>
public sealed record InstancePair(ComparedSide Baseline, ComparedSide Candidate);

/// <summary>
/// Compares one workflow test on a baseline and a candidate destination (issue #27): each side's call is prepared and
/// warmed up as the benchmark does, then <see cref="InterleavedTrials"/> run blocks — trials of the test's <c>repeat</c>
/// calls from <c>concurrency</c> callers (an open-model test's: a window at its rate, <see cref="WindowOf"/>), repeated until
/// <see cref="BlockComplete"/> — on alternating sides and judge the pairs of block medians. The
/// machine is calibrated at the start; each look compares a fresh calibration with it (the noise guard), so a
/// disturbed machine holds the verdict back instead of failing it. With several <see cref="InstancePair"/>s the pairs of
/// blocks take them in turn (pair j on instance pair j mod k), so each instance's own offset weighs 1/k in the verdict.
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

    /// <summary>How long a block's trials are repeated while it has fewer than <see cref="MinBlockCalls"/>: a test of
    /// slow calls (a pipeline of image models) makes a block of a few calls, not minutes of them. <value>1 second.</value></summary>
    public static readonly TimeSpan BlockTime = TimeSpan.FromSeconds(1);

    /// <summary>The fewest calls a block's median is taken over, however long they take (up to <see cref="MaxBlockTime"/>):
    /// a block of one call would be as slow as its one stall. <value>5.</value></summary>
    public const int MinMedianCalls = 5;

    /// <summary>The longest a block goes on for <see cref="MinMedianCalls"/>. <value>10 seconds.</value></summary>
    public static readonly TimeSpan MaxBlockTime = TimeSpan.FromSeconds(10);

    /// <summary>The shortest window of an open-model test's calls. <value>0.5 seconds.</value></summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest window of an open-model test's calls, however low its rate. <value>5 seconds.</value></summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(5);

    /// <summary>Compares <paramref name="test"/> on both sides of each of <paramref name="instances"/>.</summary>
    /// <exception cref="ComparisonSideFailedException">A side's calls failed.</exception>
    public async Task<ComparisonMeasurement> RunAsync(string workflow, WorkflowTest test, IReadOnlyList<InstancePair> instances, RunIdentity run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            throw new ArgumentException("a comparison needs at least one instance pair", nameof(instances));
        }

        var calls = new Dictionary<ComparisonSide, Func<CancellationToken, Task<CallResponse>>[]>
        {
            [ComparisonSide.Baseline] = [.. instances.Select(pair => Prepare(pair.Baseline, test))],
            [ComparisonSide.Candidate] = [.. instances.Select(pair => Prepare(pair.Candidate, test))],
        };
        foreach (var call in calls.Values.SelectMany(side => side))
        {
            await LoadRunner.WarmUpAsync(call, test.Warmup, test.Concurrency, cancellationToken).ConfigureAwait(false);
        }

        var window = WindowOf(test);
        var guard = new NoiseGuard(Calibration.Measure(run), new VerdictPolicy());
        string? Disturbance() => guard.Assess([Calibration.Measure(run)]) is { Disturbed: true } reading ? reading.Describe() : null;
        // Every pair runs one block on each side, so a side's count of blocks so far is the pair's number.
        var blocksRun = new Dictionary<ComparisonSide, int> { [ComparisonSide.Baseline] = 0, [ComparisonSide.Candidate] = 0 };
        async Task<Block> RunBlock(ComparisonSide side, CancellationToken token)
        {
            var instance = blocksRun[side]++ % instances.Count;
            var call = calls[side][instance];
            var block = window is null
                ? await RunClosedBlockAsync(side, call, test, token).ConfigureAwait(false)
                : await RunWindowAsync(side, call, window, token).ConfigureAwait(false);
            return block with { Instance = instance };
        }

        var (policy, budget) = settings.JudgingOf(test.Compare);
        var compared = await new InterleavedTrials(policy, budget, time, new Random(seed)).RunAsync(RunBlock, Disturbance, cancellationToken).ConfigureAwait(false);
        return ComparisonMeasurement.Of(workflow, test.Name, settings.Kind.TraitValue(), compared, run.At);
    }

    /// <summary>A closed-model block: the test's trials, repeated until <see cref="BlockComplete"/>, a trial cut short
    /// once the block's time is spent (<see cref="BlockTimeSpent"/>: a Wallaroo trial of 200 calls from 4 callers takes
    /// 20 s, and as a block it left a 2-minute budget 4 pairs); every call that did not succeed (an error, a 429) fails the side.</summary>
    private async Task<Block> RunClosedBlockAsync(ComparisonSide side, Func<CancellationToken, Task<CallResponse>> call, WorkflowTest test, CancellationToken cancellationToken)
    {
        List<Trial> trials = [];
        var started = time.GetTimestamp();
        do
        {
            var before = trials.Sum(t => t.Records.Count);
            trials.Add(await LoadRunner.RunTrialAsync(call, test.Repeat, test.Concurrency, cancellationToken, startedInTrial => BlockTimeSpent(before + startedInTrial, time.GetElapsedTime(started))).ConfigureAwait(false));
        }
        while (!BlockComplete(trials.Sum(t => t.Records.Count), time.GetElapsedTime(started)));

        var records = trials.SelectMany(t => t.Records).ToArray();
        var succeeded = Answered(records);
        return new Block(side, records.Length, records.Length - succeeded.Length, succeeded.Length == 0 ? 0 : NoiseGuard.Median(succeeded), FirstError(trials));
    }

    /// <summary>An open-model block: one window at the test's rate. A refused call (429) or one never sent (over
    /// <c>max_in_flight</c>) is the side's answer to the load and ranks slower than any answered call; only errors fail the side.</summary>
    private async Task<Block> RunWindowAsync(ComparisonSide side, Func<CancellationToken, Task<CallResponse>> call, OpenLoad window, CancellationToken cancellationToken)
    {
        var trial = await OpenLoadRunner.RunAsync(call, window, cancellationToken).ConfigureAwait(false);
        var records = trial.Records;
        var refused = records.Count(r => r.Outcome is CallOutcome.Throttled or CallOutcome.Dropped);
        return new Block(side, records.Count, records.Count(r => r.Outcome == CallOutcome.Failed), Block.MedianRankingRefusedSlowest(Answered(records), refused), FirstError([trial]));
    }

    private static double[] Answered(IEnumerable<CallRecord> records) =>
        [.. records.Where(r => r.Outcome == CallOutcome.Succeeded).Select(r => r.LatencySeconds)];

    private string? FirstError(IEnumerable<Trial> trials) =>
        trials.Select(t => t.FirstError).FirstOrDefault(e => e is not null) is { } first ? redactor.Redact(first) : null;

    /// <summary>Whether a closed-model block of <paramref name="calls"/> that has run for <paramref name="elapsed"/> is
    /// done: <see cref="MinBlockCalls"/> calls, or <see cref="BlockTime"/> with <see cref="MinMedianCalls"/> calls, or
    /// <see cref="MaxBlockTime"/>.</summary>
    public static bool BlockComplete(int calls, TimeSpan elapsed) => calls >= MinBlockCalls || BlockTimeSpent(calls, elapsed);

    /// <summary>Whether a block of <paramref name="calls"/> has run out of time — <see cref="BlockTime"/> with
    /// <see cref="MinMedianCalls"/> calls, or <see cref="MaxBlockTime"/> — so that it starts no more calls, even within a
    /// trial: a block at a test's concurrency is as telling after a second as after the trial's last call. Trials that
    /// end sooner (a 4-caller trial of 200 calls takes 0.03–0.06 s on the embedded cluster and Racetrack) are whole.</summary>
    public static bool BlockTimeSpent(int calls, TimeSpan elapsed) =>
        (elapsed >= BlockTime && calls >= MinMedianCalls) || elapsed >= MaxBlockTime;

    /// <summary>
    /// An open-model test's block: a window of calls at the test's highest rate, both sides in turn at the same rate,
    /// long enough for <see cref="MinBlockCalls"/> calls (at least <see cref="MinWindow"/>, at most <see cref="MaxWindow"/>);
    /// <see langword="null"/> for a closed-model test.
    /// </summary>
    public static OpenLoad? WindowOf(WorkflowTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.OpenLoad is not { } load)
        {
            return null;
        }

        var rate = load.Stages.Max(stage => stage.Rate);
        var seconds = Math.Clamp(MinBlockCalls / rate, MinWindow.TotalSeconds, MaxWindow.TotalSeconds);
        return load with { Stages = [new LoadStage(rate, seconds)] };
    }

    private static Func<CancellationToken, Task<CallResponse>> Prepare(ComparedSide side, WorkflowTest test)
    {
        var payload = PayloadTemplate.Render(test.Payload, side.Entrypoint.ExportedName);
        return test.Async
            ? side.Calls.PrepareAsynchronous(side.Entrypoint, payload, test.TimeoutSeconds)
            : side.Calls.Prepare(side.Entrypoint, payload, test.TimeoutSeconds);
    }
}
