namespace TestBench.LocalCluster.Runtime;

/// <summary>What a worker process runs: one built algorithm version.</summary>
public sealed record WorkerSpec
{
    /// <summary>A name for logs and metrics, such as <c>owner/algo/sha</c>.</summary>
    public required string Label { get; init; }

    /// <summary>The algorithm name: the runner imports <c>src/&lt;Name&gt;.py</c>.</summary>
    public required string AlgorithmName { get; init; }

    /// <summary>The algorithm's root folder (holding <c>src/</c>); the worker's working directory.</summary>
    public required string Directory { get; init; }

    /// <summary>The Python interpreter to run, normally the build's virtual environment.</summary>
    public required string Python { get; init; }

    /// <summary>
    /// The interpreter the virtual environment was made from, as the server was configured: its installation is shown to
    /// the sandbox. Never derived from <see cref="Python"/>'s link, which the build's code could have changed.
    /// </summary>
    public required string BaseInterpreter { get; init; }

    /// <summary>Extra environment for the algorithm, such as the cluster address and the owner's key.
    /// Nothing else of the server's environment reaches the worker.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the worker runs: a <see cref="Isolation.Sandbox"/> that sees only this version's code and
    /// environment, or <see langword="null"/> for none.</summary>
    public Isolation.Sandbox? Sandbox { get; init; }
}
