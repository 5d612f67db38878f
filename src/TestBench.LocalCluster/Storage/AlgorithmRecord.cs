using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Storage;

/// <summary>One algorithm as the registry keeps it on disk. Mutated only under the registry's lock.</summary>
public sealed class AlgorithmRecord
{
    public required string Id { get; init; }

    public required string Owner { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>details</c> as sent (label, summary, tagline).</summary>
    public JsonObject Details { get; set; } = [];

    /// <summary><c>settings</c> as sent, plus <c>algorithm_callability</c>.</summary>
    public JsonObject Settings { get; set; } = [];

    /// <summary>The environment id the algorithm builds and runs in.</summary>
    public required string EnvironmentId { get; set; }

    public List<BuildRecord> Builds { get; init; } = [];

    public List<VersionRecord> Versions { get; init; } = [];

    /// <summary>The newest build that finished, successful or not.</summary>
    public BuildRecord? LatestFinishedBuild => Builds.LastOrDefault(b => b.Status != BuildRecord.InProgress);

    /// <summary>The newest successful build: what <c>version_info.git_hash</c> names.</summary>
    public BuildRecord? LatestSuccessfulBuild => Builds.LastOrDefault(b => b.Status == BuildRecord.Succeeded);
}

/// <summary>One build of an algorithm's source at a commit.</summary>
public sealed class BuildRecord
{
    public const string InProgress = "in-progress";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public required string BuildId { get; init; }

    public required string CommitSha { get; init; }

    public string Status { get; set; } = InProgress;

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string Log { get; set; } = "";

    /// <summary>The checked-out code the workers run (holding <c>src/</c>).</summary>
    public required string CodeDirectory { get; init; }

    /// <summary>The build's virtual environment interpreter.</summary>
    public string? Python { get; set; }
}

/// <summary>A published version: a successful build with a semantic version.</summary>
public sealed class VersionRecord
{
    public required string GitHash { get; init; }

    public required string SemanticVersion { get; init; }

    /// <summary><c>public</c> or <c>private</c>.</summary>
    public required string Callability { get; init; }

    public string? ReleaseNotes { get; init; }

    public string? SampleInput { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>The build it was published from: a commit compiled again is a new build, publishable again (api-docs,
    /// "Publish an algorithm"). <see langword="null"/> in records written before builds were named.</summary>
    public string? BuildId { get; init; }

    /// <summary>Whether this version was published from <paramref name="build"/>.</summary>
    public bool PublishedFrom(BuildRecord build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return BuildId is null ? GitHash == build.CommitSha : BuildId == build.BuildId;
    }
}
