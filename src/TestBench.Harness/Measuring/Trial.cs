namespace TestBench.Harness.Measuring;

/// <summary>
/// One run of a test's calls — <c>repeat</c> calls from <c>concurrency</c> callers, or one open-model schedule: every
/// counted call, and from them the latencies and counts a verdict needs.
/// </summary>
public sealed record Trial
{
    /// <summary>Every counted call, dropped ones included, in the order they were recorded.</summary>
    public required IReadOnlyList<CallRecord> Records { get; init; }

    /// <summary>The first error message, when there were errors.</summary>
    public string? FirstError { get; init; }

    /// <summary>Seconds from the first call's start to the last call's end.</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>The most the open model's generator fell behind its schedule, in seconds; 0 for the closed model.</summary>
    public double GeneratorLagSeconds { get; init; }

    /// <summary>Whether this machine stalled the generator beyond <see cref="OpenLoadRunner.LateLimit"/>: the trial
    /// measured the stall, not the platform.</summary>
    public bool GeneratorStalled => GeneratorLagSeconds > OpenLoadRunner.LateLimit.TotalSeconds;

    /// <summary>Latency of every answered call, in seconds (from the scheduled start in the open model).</summary>
    public IReadOnlyList<double> Latencies => [.. Records.Where(r => r.Outcome != CallOutcome.Dropped).Select(r => r.LatencySeconds)];

    /// <summary>Answered calls.</summary>
    public long Calls => Records.Count(r => r.Outcome != CallOutcome.Dropped);

    /// <summary>Answered with an error other than 429.</summary>
    public long Errors => Count(CallOutcome.Failed);

    /// <summary>Answered 429.</summary>
    public long Throttled => Count(CallOutcome.Throttled);

    /// <summary>Scheduled but never sent (open model).</summary>
    public long Dropped => Count(CallOutcome.Dropped);

    /// <summary>Calls that did not succeed for any reason: errors, 429s and dropped calls.</summary>
    public long Failures => Records.Count - Count(CallOutcome.Succeeded);

    /// <summary>Whether calls failed and every failure was a 429 or a dropped call: capacity ran out (the platform's, or
    /// this machine's for a moment); no call answered an error.</summary>
    public bool OnlyOverloaded => Failures > 0 && Errors == 0;

    /// <summary>Successful calls per second of the trial.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Count(CallOutcome.Succeeded) / ElapsedSeconds : 0;

    private long Count(CallOutcome outcome) => Records.Count(r => r.Outcome == outcome);
}
