namespace TestBench.LocalCluster.Builds;

/// <summary>One environment the cluster offers, as listed in <c>environments.json</c>.</summary>
public sealed record EnvironmentSpec
{
    public required string Id { get; init; }

    public required string EnvironmentSpecificationId { get; init; }

    /// <summary>What workflows name in <c>environment_name</c>, matched exactly.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The language name (<c>python3</c>, <c>python2</c>, …).</summary>
    public required string Language { get; init; }

    /// <summary>The interpreter path, or <c>default</c> for the cluster's configured Python.</summary>
    public required string Interpreter { get; init; }

    /// <summary>Comma-separated modules that must import for the environment to be usable (e.g. <c>PIL</c>).</summary>
    public string Probe { get; init; } = "";

    public string MachineType { get; init; } = "CPU";

    /// <summary>What to install when the environment is not usable here, e.g. <c>Debian's python3-pil</c>.</summary>
    public string? InstallHint { get; init; }

    /// <summary>
    /// Why this environment can never be installed on this kind of machine (no GPU, a package no registry here
    /// offers): it stays <em>available</em>, so workflows naming it are skipped with this reason, never current.
    /// </summary>
    public string? NotInstallable { get; init; }

    /// <summary>What really serves the name, when it stands in for another version, e.g. <c>this machine's Python 3</c>.</summary>
    public string? ServedBy { get; init; }
}
