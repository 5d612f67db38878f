using System.Net;
using System.Text;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Runtime;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>A busy algorithm refuses calls with 429 and Retry-After; a void call is never accepted and then dropped.</summary>
public sealed partial class BusyAnswerTests : IAsyncLifetime
{
    private readonly string data = Directory.CreateTempSubdirectory("testbench-busy-").FullName;
    private EmbeddedCluster cluster = null!;
    private ClusterClient alice = null!;
    private string sha = "";

    public async Task InitializeAsync()
    {
        // One worker and no queue: a second call while the first sleeps has nowhere to go.
        cluster = await EmbeddedCluster.StartAsync(
            ClusterFixture.Options(data) with { Runtime = new RuntimeOptions { MaxConcurrency = 1, MaxQueueLength = 0 } }, CancellationToken.None);
        alice = new ClusterClient(cluster, "alice");
        await alice.CreateAlgorithmAsync("Sleeper");
        sha = await alice.PushAsync("Sleeper", "import time\n\ndef apply(input):\n    time.sleep(float(input))\n    return 'slept'\n");
        (await alice.WaitForBuildAsync("Sleeper", sha))["status"]!.GetValue<string>().Should().Be("succeeded");
    }

    public async Task DisposeAsync()
    {
        alice.Dispose();
        await cluster.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task VoidCall_QueueFull_Answers429InsteadOfAccepting()
    {
        using var accepted = await alice.Http.PostAsync($"v1/algo/alice/Sleeper/{sha}?output=void", Json("3"));
        using var refused = await alice.Http.PostAsync($"v1/algo/alice/Sleeper/{sha}?output=void", Json("0"));

        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await accepted.Content.ReadAsStringAsync()).Should().Contain("\"async\":true");
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        await ErrorAnswerTests.ExpectErrorAsync(refused, HttpStatusCode.TooManyRequests, "is busy");
    }

    [Fact]
    public async Task Call_QueueFull_Answers429WithRetryAfter()
    {
        var first = alice.Http.PostAsync($"v1/algo/alice/Sleeper/{sha}", Json("2"));
        await Eventually.HoldsAsync(
            async () => InFlight().IsMatch(await alice.Http.GetStringAsync("metrics")),
            "the first call should be running on the only worker");

        using var refused = await alice.Http.PostAsync($"v1/algo/alice/Sleeper/{sha}", Json("0"));

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await first).Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [System.Text.RegularExpressions.GeneratedRegex("testbench_algorithm_in_flight\\{algorithm=\"alice/Sleeper[^\"]*\"\\} 1")]
    private static partial System.Text.RegularExpressions.Regex InFlight();
}
