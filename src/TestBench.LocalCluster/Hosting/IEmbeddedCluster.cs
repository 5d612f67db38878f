using TestBench.Harness.Measuring;

namespace TestBench.LocalCluster.Hosting;

/// <summary>A running embedded cluster, in this process (<see cref="LocalCluster"/>) or in its own (<see cref="LocalClusterProcess"/>).</summary>
public interface IEmbeddedCluster : IAsyncDisposable
{
    /// <summary>The API address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    Uri Address { get; }

    /// <summary>Each user's API key. Secrets: never log them.</summary>
    IReadOnlyDictionary<string, string> UserKeys { get; }

    /// <summary>The admin key (environment web API).</summary>
    string AdminKey { get; }

    /// <summary>How the serving code was built: a benchmark through a Debug or instrumented cluster says so.</summary>
    BuildFlavour Build { get; }
}
