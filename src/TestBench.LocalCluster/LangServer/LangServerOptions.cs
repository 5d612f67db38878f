using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.LangServer;

/// <summary>Settings of a standalone LangServer.</summary>
public sealed record LangServerOptions
{
    /// <summary>The algorithm directory (holding <c>src/</c> and <c>requirements.txt</c>).</summary>
    public required string AlgorithmDirectory { get; init; }

    /// <summary>The algorithm name; <value>defaults to the directory's name</value>.</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>The interpreter the virtual environment is made from.</summary>
    public required string Python { get; init; }

    /// <summary>The port on 127.0.0.1; <value>0 (default) picks a free one</value>.</summary>
    public int Port { get; init; }

    public RuntimeOptions Runtime { get; init; } = new();

    /// <summary>Extra environment for the algorithm (for example the cluster it may call).</summary>
    public IReadOnlyDictionary<string, string> AlgorithmEnvironment { get; init; } = new Dictionary<string, string>();

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
