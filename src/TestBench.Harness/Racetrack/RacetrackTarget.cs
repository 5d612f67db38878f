using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;

namespace TestBench.Harness.Racetrack;

/// <summary>What an export to Racetrack needs: the source cluster (templates' <c>code_path</c> and data files), the
/// Racetrack, the client package each job carries, and where templates are.</summary>
public sealed record RacetrackTarget
{
    public required AlgorithmiaClient Source { get; init; }

    public required RacetrackClient Racetrack { get; init; }

    /// <summary>The benchmark's call path to the jobs.</summary>
    public required RacetrackBenchmarkCalls Calls { get; init; }

    /// <summary>The folder of the LangPack's <c>Algorithmia</c> package, vendored into every job (its Racetrack mode
    /// answers <c>data://</c> from the job's bundled files and <c>algo://</c> through Pub).</summary>
    public required string ClientPackage { get; init; }

    public required RepositoryLayout Layout { get; init; }

    /// <summary>Removes secrets from everything that is logged or reported.</summary>
    public required SecretRedactor Redactor { get; init; }

    /// <summary>How long a deployment (its build included) may take. <value>Default 10 minutes.</value></summary>
    public TimeSpan DeployTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a deployed job may take to answer <c>/ready</c> through Pub. <value>Default 2 minutes.</value></summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
