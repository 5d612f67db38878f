namespace TestBench.LocalCluster.Racetrack;

/// <summary>One <c>POST /api/v1/deploy</c>: its status (<c>in_progress</c>, <c>done</c>, <c>failed</c>), phase and error.</summary>
public sealed class Deployment
{
    public required string Id { get; init; }

    public required string JobName { get; init; }

    public required string JobVersion { get; init; }

    public string Status { get; set; } = "in_progress";

    public string? Phase { get; set; } = "building image";

    public string? Error { get; set; }

    /// <summary>The manifest deployed; Lifecycle shows it as <c>manifest_yaml</c>.</summary>
    public required JobManifest Manifest { get; init; }

    /// <summary>Lifecycle's <c>warnings</c> (one string): here, the manifest fields this Racetrack does not act on.</summary>
    public string? Warnings { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset UpdateTime { get; set; }
}
