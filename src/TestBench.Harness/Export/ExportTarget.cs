using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;

namespace TestBench.Harness.Export;

/// <summary>What an export needs: the two clusters, an admin client for environments, and where templates are.</summary>
public sealed record ExportTarget
{
    public required AlgorithmiaClient Source { get; init; }

    public required AlgorithmiaClient Destination { get; init; }

    /// <summary>The destination's web API with the admin key, or <see langword="null"/> when no admin credentials are configured.</summary>
    public AlgorithmiaClient? DestinationAdmin { get; init; }

    /// <summary>Where the destination posts the results of async calls; <see langword="null"/> for a destination that
    /// cannot be told (a real cluster), where async tests are skipped.</summary>
    public CompletionReceiver? Completions { get; init; }

    public required RepositoryLayout Layout { get; init; }

    /// <summary>Removes keys from everything that is logged or reported.</summary>
    public required SecretRedactor Redactor { get; init; }

    /// <summary>How long a build may take before the export gives up. <value>Default 10 minutes.</value></summary>
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Data files copied at once. <value>Default 3.</value></summary>
    public int CopyParallelism { get; init; } = 3;
}
