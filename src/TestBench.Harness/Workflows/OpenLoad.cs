namespace TestBench.Harness.Workflows;

/// <summary>
/// An open-model load (k6's arrival-rate executors, wrk2's <c>-R</c>): calls start on a schedule whatever the answers
/// do, so a slow server meets the same arrivals and its latency is measured from each call's scheduled start. Given
/// as <c>rate</c> + <c>duration</c> (one constant stage) or as <c>stages</c>, a ramp: each stage moves the rate in a
/// straight line from the previous stage's rate to its own over its duration (the first stage starts at its own rate,
/// so a constant rate is one stage, and a hold is a stage repeating the rate before it).
/// </summary>
public sealed record OpenLoad
{
    /// <summary>The highest rate a stage may ask for, calls per second.</summary>
    public const double MaxRate = 100_000;

    /// <summary>The longest stage, in seconds (one hour).</summary>
    public const double MaxStageSeconds = 3600;

    /// <summary>The most stages a ramp may have.</summary>
    public const int MaxStages = 100;

    /// <summary>The most calls in flight a test may allow.</summary>
    public const int MaxInFlightLimit = 10_000;

    /// <summary>The most calls one open-model test may schedule.</summary>
    public const long MaxScheduledCalls = 1_000_000;

    /// <summary>Calls allowed in flight when <c>max_in_flight</c> is not given.</summary>
    public const int DefaultMaxInFlight = 1000;

    public required IReadOnlyList<LoadStage> Stages { get; init; }

    /// <summary><c>max_in_flight</c>: a call due while this many are unanswered is not sent but counted as dropped.
    /// <value>Default <see cref="DefaultMaxInFlight"/>.</value></summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    public double TotalSeconds => Stages.Sum(stage => stage.DurationSeconds);

    /// <summary>The calls the stages schedule: the area under the rate, rounded up.</summary>
    public long ScheduledCalls =>
        (long)Math.Ceiling(Math.Round(Stages.Select((stage, i) => (stage.Rate + Stages[Math.Max(0, i - 1)].Rate) / 2 * stage.DurationSeconds).Sum(), 9));

    public string Describe() => Stages.Count == 1
        ? $"{Stages[0].Rate:0.###} calls/s for {Stages[0].DurationSeconds:0.###} s"
        : $"{Stages.Count} stages over {TotalSeconds:0.###} s ({string.Join(" → ", Stages.Select(stage => $"{stage.Rate:0.###}/s"))})";
}

/// <summary>One stage of an <see cref="OpenLoad"/>: the rate reached at its end, in calls per second, and its length.</summary>
public sealed record LoadStage(double Rate, double DurationSeconds);
