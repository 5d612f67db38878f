namespace TestBench.Harness.Export;

/// <summary>An algorithm as it now exists on the destination: an Algorithmia-style algorithm or a Racetrack job.</summary>
public sealed record ExportedAlgorithm
{
    /// <summary>The name in the workflow and in <c>algorithms/</c>.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The name on the destination: template name plus the workflow's suffix.</summary>
    public required string ExportedName { get; init; }

    /// <summary>Who owns it: the destination user (Algorithmia), the manifest's owner (Racetrack).</summary>
    public required string Owner { get; init; }

    /// <summary>The version that is called: the built commit (Algorithmia), the job version (Racetrack).</summary>
    public required string Version { get; init; }

    /// <summary>Where it runs: the environment it was created in (Algorithmia), the job type (Racetrack).</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>What the case output and the results call it, e.g. <c>testbench/hello_world_ab12/5f0c…</c> or
    /// <c>job hello-world-ab12 1.0.0</c>.</summary>
    public required string Location { get; init; }

    /// <summary>A Racetrack job deployed as its template folder was: a payload (a JSON object) is its <c>perform</c>'s
    /// keyword arguments, not <c>{"input": payload}</c>.</summary>
    public bool TakesKeywordArguments { get; init; }

    /// <summary>Whether this run created the algorithm (and so should delete it at the end).</summary>
    public required bool CreatedByThisRun { get; init; }

    /// <summary>What the export measured: step durations, the copy's speed, cold start and first published call.</summary>
    public IReadOnlyList<ExportMeasure> Measures { get; init; } = [];
}
