namespace TestBench.Harness.Reporting;

/// <summary>How an export or benchmark case ended — or that it had not, when the run stopped during it.</summary>
public enum CaseOutcome
{
    /// <summary>Started and not finished: in a results file marked incomplete, the case the run died in.</summary>
    Unfinished,

    Passed,

    Failed,

    Skipped,
}

/// <summary>One case of the run as the results file keeps it: which, where, how it ended and why.</summary>
public sealed record CaseRecord
{
    /// <summary>The case's display name, e.g. <c>hello_world › basic test</c>.</summary>
    public required string Name { get; init; }

    public required string Workflow { get; init; }

    /// <summary><c>export</c>, <c>benchmark</c>, <c>cleanup</c> or <c>load</c>.</summary>
    public required string Stage { get; init; }

    public required string Target { get; init; }

    public CaseOutcome Outcome { get; init; } = CaseOutcome.Unfinished;

    /// <summary>Why it failed or was skipped (secrets redacted); <see langword="null"/> when it passed.</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds from start to end; <see langword="null"/> while unfinished.</summary>
    public double? Seconds { get; init; }
}
