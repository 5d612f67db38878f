namespace TestBench.LocalCluster.Wallaroo;

/// <summary>Settings of the embedded orchestration service.</summary>
public sealed record WallarooOptions
{
    /// <summary>Where orchestrations (their files and virtual environments) and task runs' working folders live.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The port on 127.0.0.1; <value>0 (default) picks a free one</value>.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token callers send; <value>a random one when null</value>.</summary>
    public string? Token { get; init; }

    /// <summary>The interpreter orchestrations' virtual environments are made from.</summary>
    public required string Python { get; init; }

    /// <summary>
    /// How long a minute of a task's cron schedule lasts: <value>one minute</value>. A test hook: with 2 s, a
    /// <c>*/1 * * * *</c> schedule ticks every 2 s, so schedules can be tested without waiting minutes.
    /// </summary>
    public TimeSpan ScheduleMinute { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after a continuous task's run ends the next one starts: <value>1 s</value> (Wallaroo: within ~1 min).</summary>
    public TimeSpan ContinuousPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A run's time limit when its task sets none: <value>15 minutes</value> (Wallaroo's reap threshold).</summary>
    public TimeSpan DefaultRunTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
