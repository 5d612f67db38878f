using TestBench.LocalCluster.Hosting;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;
using Xunit;

namespace TestBench.Harness.Tests.Builders;

/// <summary>A real local cluster on 127.0.0.1 with users <c>alice</c> and <c>bob</c>, in a temporary data folder.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("testbench-cluster-").FullName;

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public ClusterClient Alice { get; private set; } = null!;

    public ClusterClient Bob { get; private set; } = null!;

    public static LocalClusterOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        Users = new Dictionary<string, string?> { ["alice"] = null, ["bob"] = null },
        Python = AlgorithmWorkspace.Python,
    };

    public async Task InitializeAsync()
    {
        Cluster = await EmbeddedCluster.StartAsync(Options(DataDirectory), CancellationToken.None);
        Alice = new ClusterClient(Cluster, "alice");
        Bob = new ClusterClient(Cluster, "bob");
    }

    public async Task DisposeAsync()
    {
        Alice.Dispose();
        Bob.Dispose();
        await Cluster.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
