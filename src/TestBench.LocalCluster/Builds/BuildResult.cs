namespace TestBench.LocalCluster.Builds;

/// <summary>The outcome of building one algorithm directory.</summary>
public sealed record BuildResult
{
    public required bool Succeeded { get; init; }

    /// <summary>Every step's command line and output, in order.</summary>
    public required string Log { get; init; }

    /// <summary>The interpreter of the build's virtual environment; workers run with it.</summary>
    public required string Python { get; init; }

    /// <summary>Seconds the build took.</summary>
    public required double DurationSeconds { get; init; }
}
