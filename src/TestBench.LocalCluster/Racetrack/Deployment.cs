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

    public required DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset UpdateTime { get; set; }
}
