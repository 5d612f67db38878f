using System.Text.Json;

namespace TestBench.Harness.Workflows;

/// <summary>One entry of <c>test_info.tests</c>: a benchmark call against the entrypoint.</summary>
public sealed record WorkflowTest
{
    /// <summary>The platform's default call timeout, used when a test names none.</summary>
    public const int DefaultTimeoutSeconds = 300;

    /// <summary>The smallest timeout a test may ask for, in seconds.</summary>
    public const int MinTimeoutSeconds = 1;

    /// <summary>The largest timeout the platform accepts, in seconds.</summary>
    public const int MaxTimeoutSeconds = 3000;

    /// <summary><c>name</c>: unique within the workflow; part of the case's display name.</summary>
    public required string Name { get; init; }

    /// <summary><c>payload</c>: the entrypoint's input; <c>&lt;algo&gt;</c> is templated before the call.</summary>
    public required JsonElement Payload { get; init; }

    /// <summary><c>timeout</c> in seconds, <see cref="MinTimeoutSeconds"/>..<see cref="MaxTimeoutSeconds"/>;
    /// <value>defaults to <see cref="DefaultTimeoutSeconds"/></value>.</summary>
    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary><c>repeat</c>: counted calls, 1..100000. <value>Default 1.</value></summary>
    public int Repeat { get; init; } = 1;

    /// <summary><c>concurrency</c>: parallel callers, 1..64. <value>Default 1.</value></summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// <c>rate</c> + <c>duration</c>, or <c>stages</c> (with <c>max_in_flight</c>): an open-model load instead of
    /// <c>repeat</c> × <c>concurrency</c>. <value>Default <see langword="null"/>: the closed model.</value>
    /// </summary>
    public OpenLoad? OpenLoad { get; init; }

    /// <summary><c>expect</c>: <c>"snapshot"</c>, <c>{"exact": …}</c> or <c>{"subset": …}</c> for the result;
    /// <see langword="null"/> when only success is checked.</summary>
    public JsonElement? Expect { get; init; }

    /// <summary><c>warmup</c>: calls made first and not counted, 0..10000. <value>Default 0.</value></summary>
    public int Warmup { get; init; }

    /// <summary>The fewest trials a test may ask for.</summary>
    public const int MinTrials = 1;

    /// <summary>The most trials a test may ask for.</summary>
    public const int MaxTrials = 1000;

    /// <summary>
    /// <c>trials</c>: how many times the test's calls (<c>repeat</c> × <c>concurrency</c>) are made, each a trial whose
    /// latencies and throughput join the test's sample, <see cref="MinTrials"/>..<see cref="MaxTrials"/>.
    /// <value>Default <see langword="null"/>: adaptive, as many as the verdict needs within the trial budget.</value>
    /// </summary>
    public int? Trials { get; init; }

    /// <summary>
    /// <c>schedule</c> (5-field cron) with <c>runs</c>: on a target with task schedules (Wallaroo), a scheduled task whose
    /// first runs are the test's sample (start drift from the tick, outcome, logs), then killed.
    /// <value>Default <see langword="null"/>: calls, not a schedule.</value>
    /// </summary>
    public ScheduledRuns? Schedule { get; init; }

    /// <summary>
    /// <c>async</c>: each call is submitted and its result received later (Racetrack's async job calls; the embedded
    /// cluster's LangServer async mode, which posts the result to the harness); latency runs from submission to the
    /// result's arrival. A target without async calls skips the test, saying why. <value>Default <see langword="false"/>.</value>
    /// </summary>
    public bool Async { get; init; }

    /// <summary><c>compare</c>: the test's own threshold, significance or budget when the run is a comparison.
    /// <value>Default <see langword="null"/>: the run's.</value></summary>
    public TestComparisonOptions? Compare { get; init; }
}
