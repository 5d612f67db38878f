namespace TestBench.LocalCluster.Racetrack;

/// <summary>Settings of an embedded Racetrack.</summary>
public sealed record RacetrackOptions
{
    /// <summary>Where deployed jobs live (their build contexts and virtual environments).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The port on 127.0.0.1; <value>0 (default) picks a free one</value>.</summary>
    public int Port { get; init; }

    /// <summary>The token callers send as <c>X-Racetrack-Auth</c>; <value>a random one when null</value>.</summary>
    public string? AuthToken { get; init; }

    /// <summary>The interpreter jobs' virtual environments are made from.</summary>
    public required string Python { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
