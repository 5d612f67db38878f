namespace TestBench.Harness.Reporting;

/// <summary>Which run a results file is: its own identity, when and where it ran, and the targets' addresses (never a
/// key). The history keeps a run once by <see cref="Id"/>, and a series only within one machine and address.</summary>
public sealed record RunRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public string? Commit { get; init; }

    /// <summary>The machine fingerprint (<see cref="Measuring.MachineFingerprint"/>).</summary>
    public required string Machine { get; init; }

    /// <summary>Each target's address: the configured cluster's, or <c>embedded</c>.</summary>
    public IReadOnlyDictionary<string, string> Targets { get; init; } = new Dictionary<string, string>();
}
