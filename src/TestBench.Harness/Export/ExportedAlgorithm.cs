namespace TestBench.Harness.Export;

/// <summary>An algorithm as it now exists on the destination cluster.</summary>
public sealed record ExportedAlgorithm
{
    /// <summary>The name in the workflow and in <c>algorithms/</c>.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The name on the destination: template name plus the workflow's suffix.</summary>
    public required string ExportedName { get; init; }

    /// <summary>The destination user that owns it.</summary>
    public required string Owner { get; init; }

    /// <summary>The built commit, callable as the version.</summary>
    public required string GitHash { get; init; }

    /// <summary>The environment it was created in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>Whether this run created the algorithm (and so should delete it at the end).</summary>
    public required bool CreatedByThisRun { get; init; }

    /// <summary>What the export measured: step durations, the copy's speed, cold start and first published call.</summary>
    public IReadOnlyList<ExportMeasure> Measures { get; init; } = [];
}
