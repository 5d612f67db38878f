using System.Net;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

public sealed class ClusterStateTests
{
    [Fact]
    public async Task TwoClustersInOneProcess_DoNotShareState()
    {
        var first = new ClusterFixture();
        var second = new ClusterFixture();
        await first.InitializeAsync();
        await second.InitializeAsync();
        try
        {
            await first.Alice.CreateAlgorithmAsync("OnlyInFirst");
            (await first.Alice.Http.PostAsync("v1/data/.my", Json("""{"name":"firstdata"}"""))).Dispose();

            using var algorithm = await second.Alice.Http.GetAsync("v1/algorithms/alice/OnlyInFirst");
            using var data = await second.Alice.Http.GetAsync("v1/data/alice/firstdata");
            using var foreignKey = await new HttpClient { BaseAddress = second.Cluster.Address, DefaultRequestHeaders = { { "Authorization", first.Cluster.UserKeys["alice"] } } }.GetAsync("v1/data/alice");

            first.Cluster.Address.Should().NotBe(second.Cluster.Address);
            algorithm.StatusCode.Should().Be(HttpStatusCode.NotFound);
            data.StatusCode.Should().Be(HttpStatusCode.NotFound);
            foreignKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_OnTheSameDataFolder_KeepsKeysDataAndAlgorithms_WithoutShowingTheKeys()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("testbench-restart-").FullName;
        try
        {
            string sha;
            IReadOnlyDictionary<string, string> keys;
            await using (var cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None))
            {
                using var alice = new ClusterClient(cluster, "alice");
                keys = cluster.UserKeys;
                await alice.CreateAlgorithmAsync("Survivor");
                sha = await alice.PushAsync("Survivor", "def apply(input):\n    return 'still here'\n");
                await alice.WaitForBuildAsync("Survivor", sha);
                (await alice.Http.PostAsync("v1/data/.my", Json("""{"name":"kept"}"""))).Dispose();
                (await alice.Http.PutAsync("v1/data/alice/kept/f", new StringContent("kept content"))).Dispose();
            }

            await using (var restarted = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None))
            {
                using var alice = new ClusterClient(restarted, "alice", keys["alice"]);

                restarted.UserKeys.Should().BeEmpty("only the keys' salted hashes were kept");
                restarted.Keys.DescribeKept().Should().Be("user alice, user bob, the admin");
                restarted.Invoking(c => c.Announcement()).Should().Throw<InvalidOperationException>().WithMessage("*stored only as salted hashes*");
                (await alice.Http.GetStringAsync("v1/data/alice/kept/f")).Should().Be("kept content");
                (await alice.CallAsync($"alice/Survivor/{sha}", "1")).Body["result"]!.GetValue<string>().Should().Be("still here");
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
