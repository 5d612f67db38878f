namespace TestBench.Harness.Workflows;

/// <summary>A workflow test's <c>schedule</c> and <c>runs</c>: how often a scheduled task runs, and how many of its runs are measured.</summary>
/// <param name="Cron">The 5-field cron schedule.</param>
/// <param name="Runs">How many runs are awaited and measured, <see cref="MinRuns"/>..<see cref="MaxRuns"/>.</param>
public sealed record ScheduledRuns(CronSchedule Cron, int Runs)
{
    public const int MinRuns = 1;

    public const int MaxRuns = 60;

    /// <summary>Runs measured when the test gives a schedule but no <c>runs</c>.</summary>
    public const int DefaultRuns = 3;
}
