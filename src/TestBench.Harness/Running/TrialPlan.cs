using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Running;

/// <summary>
/// How many trials a test runs. With <c>trials</c> in the workflow, exactly that many. Otherwise adaptive: judged
/// first after <see cref="FirstCheckpoint"/> trials, then each time the count doubles, until the verdict is decided
/// (anything but an undecided <see cref="RatchetVerdict.Inconclusive"/>), the budget is spent or
/// <see cref="WorkflowTest.MaxTrials"/> is reached. A test without a bar stops at its first checkpoint. An open-model
/// test runs its schedule once unless <c>trials</c> says otherwise, and so does a load-shaped test whose calls are task
/// runs; a scheduled test has one trial per awaited run.
/// </summary>
public sealed record TrialPlan
{
    /// <summary>Trials before the first verdict of a test whose trial is a handful of calls. <value>20.</value></summary>
    public const int FirstCheckpointForCalls = 20;

    /// <summary>Trials before the first verdict of a load-shaped test (20 or more calls a trial). <value>10.</value></summary>
    public const int FirstCheckpointForLoads = 10;

    /// <summary>The workflow's <c>trials</c>, when it fixes the count.</summary>
    public int? Fixed { get; init; }

    public required int FirstCheckpoint { get; init; }

    /// <summary>Time after which no further trial starts (a trial under way finishes).</summary>
    public required TimeSpan Budget { get; init; }

    /// <param name="test">The test.</param>
    /// <param name="budget">The trial budget.</param>
    /// <param name="minCallsForThroughput">Calls a trial needs to be load-shaped.</param>
    /// <param name="callsAreTaskRuns">Whether each call is a task run (see <see cref="IBenchmarkCalls.CallsAreTaskRuns"/>).</param>
    public static TrialPlan For(WorkflowTest test, TimeSpan budget, int minCallsForThroughput, bool callsAreTaskRuns = false)
    {
        ArgumentNullException.ThrowIfNull(test);
        var loadShaped = test.Repeat >= minCallsForThroughput;
        return new TrialPlan
        {
            // An open-model test's trial is its whole schedule, minutes perhaps, and a load of task runs takes as long: one
            // unless the workflow asks for more. A scheduled test's trials are its task's runs.
            Fixed = test.Schedule is { } schedule ? schedule.Runs
                : test.OpenLoad is not null || (loadShaped && callsAreTaskRuns) ? test.Trials ?? 1
                : test.Trials,
            FirstCheckpoint = loadShaped ? FirstCheckpointForLoads : FirstCheckpointForCalls,
            Budget = budget,
        };
    }

    /// <summary>Whether to judge the sample now.</summary>
    public bool IsCheckpoint(int trials, TimeSpan elapsed) => Fixed is { } count
        ? trials >= count
        : elapsed >= Budget || trials >= WorkflowTest.MaxTrials || (trials >= FirstCheckpoint && trials % FirstCheckpoint == 0 && IsPowerOfTwo(trials / FirstCheckpoint));

    /// <summary>Whether the verdict at a checkpoint is the last one.</summary>
    public bool IsFinal(int trials, TimeSpan elapsed, RatchetOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return Fixed is not null || outcome.Verdict != RatchetVerdict.Inconclusive || outcome.NoiseGuarded
            || elapsed >= Budget || trials >= WorkflowTest.MaxTrials;
    }

    private static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;
}
