using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;

namespace TestBench.Harness.Wallaroo;

/// <summary>What an export to Wallaroo needs: the source cluster (templates' <c>code_path</c> and data files), the
/// Wallaroo API, the client package each orchestration carries, and where templates are.</summary>
public sealed record WallarooTarget
{
    public required AlgorithmiaClient Source { get; init; }

    public required WallarooClient Wallaroo { get; init; }

    /// <summary>The benchmark's call path: <c>run_once</c> tasks.</summary>
    public required WallarooBenchmarkCalls Calls { get; init; }

    /// <summary>Runs orchestrations once (the export's test payload run, the benchmark's calls).</summary>
    public required TaskRunner Runner { get; init; }

    /// <summary>The folder of the LangPack's <c>Algorithmia</c> package, vendored into every orchestration (its bridge
    /// answers <c>data://</c> from the bundled files).</summary>
    public required string ClientPackage { get; init; }

    public required RepositoryLayout Layout { get; init; }

    /// <summary>Removes secrets from everything that is logged or reported.</summary>
    public required SecretRedactor Redactor { get; init; }

    /// <summary>How long a minute of a cron schedule lasts on this Wallaroo: <value>one minute</value>; the embedded
    /// service started by a benchmark runs its schedules faster (see <c>--schedule-minute</c>).</summary>
    public TimeSpan ScheduleMinute { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long packaging (the orchestration's environment) may take. <value>Default 10 minutes.</value></summary>
    public TimeSpan PackagingTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
