using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Tests.Builders;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>
/// The LangServer's async mode on the embedded cluster (spec langserver.md §3.7): an <c>output=void</c> call answers at
/// once, and its result is posted to the cluster's request-complete address with the request's <c>X-</c> headers;
/// the harness's async calls measure submission → result.
/// </summary>
public sealed class AsyncCallTests : IAsyncLifetime
{
    private readonly string data = Directory.CreateTempSubdirectory("testbench-async-").FullName;
    private CompletionReceiver completions = null!;
    private EmbeddedCluster cluster = null!;
    private ClusterClient alice = null!;

    public async Task InitializeAsync()
    {
        completions = await CompletionReceiver.StartAsync(CancellationToken.None);
        cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(data) with { RequestComplete = completions.Address }, CancellationToken.None);
        alice = new ClusterClient(cluster, "alice");
    }

    public async Task DisposeAsync()
    {
        alice.Dispose();
        await cluster.DisposeAsync();
        await completions.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task AsyncCalls_ResultsArriveAtTheReceiver_WithTheLatencyFromSubmission()
    {
        var (client, calls, entrypoint) = await DeployAsync(cluster, alice, "Slowish", "import time\n\ndef apply(input):\n    time.sleep(0.3)\n    if input == 'fail':\n        raise ValueError('asked to fail')\n    return 'hi ' + input\n");
        using var disposing = client;

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => calls.PrepareAsynchronous(entrypoint, JsonValue.Create($"n{i}"), 30)(CancellationToken.None)));
        var failed = await calls.PrepareAsynchronous(entrypoint, JsonValue.Create("fail"), 30)(CancellationToken.None);

        calls.AsyncCallsUnsupported.Should().BeNull();
        answers.Select(a => a.Succeeded).Should().AllBeEquivalentTo(true);
        answers.Select(a => a.Body!["result"]!.GetValue<string>()).Should().BeEquivalentTo(["hi n0", "hi n1", "hi n2", "hi n3"], "each result reaches the call that submitted it");
        answers.Should().AllSatisfy(a => a.WallSeconds.Should().BeGreaterThan(0.29, "the latency runs until the result arrived, not until the submission was answered"));
        failed.Succeeded.Should().BeFalse();
        failed.ErrorMessage.Should().Contain("asked to fail");
        completions.Unmatched.Should().Be(0);
    }

    [Fact]
    public async Task AsyncCalls_OnASlowedCluster_AreHeldByTheFactorLikeWaitingCalls()
    {
        var slowedData = Directory.CreateTempSubdirectory("testbench-async-slowed-").FullName;
        await using var slowed = await EmbeddedCluster.StartAsync(ClusterFixture.Options(slowedData) with { RequestComplete = completions.Address, Runtime = new() { Slowdown = 2 } }, CancellationToken.None);
        using var bob = new ClusterClient(slowed, "alice");
        var (client, calls, entrypoint) = await DeployAsync(slowed, bob, "Sleeper", "import time\n\ndef apply(input):\n    time.sleep(0.3)\n    return input\n");
        using var disposing = client;

        var waited = await calls.Prepare(entrypoint, JsonValue.Create("w"), 30)(CancellationToken.None);
        var asynchronous = await calls.PrepareAsynchronous(entrypoint, JsonValue.Create("a"), 30)(CancellationToken.None);

        waited.WallSeconds.Should().BeGreaterThan(0.59, "a waiting call is held as long again as it took");
        asynchronous.Succeeded.Should().BeTrue();
        asynchronous.WallSeconds.Should().BeGreaterThan(0.59, "the hook holds an async call's result as it holds a waiting call's answer");
        Directory.Delete(slowedData, recursive: true);
    }

    [Fact]
    public async Task VoidCall_IsAnsweredAtOnce_AndTheXHeadersGoWithTheResult()
    {
        await alice.CreateAlgorithmAsync("Echo");
        var sha = await alice.PushAsync("Echo", "def apply(input):\n    return input\n");
        (await alice.WaitForBuildAsync("Echo", sha))["status"]!.GetValue<string>().Should().Be("succeeded");
        var arrived = completions.Expect("call-42", new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/algo/alice/Echo/{sha}?output=void") { Content = JsonContent.Create(new JsonObject { ["x"] = 1 }) };
        request.Headers.Add(CompletionReceiver.CallHeader, "call-42");
        using var response = await alice.Http.SendAsync(request);
        var accepted = await response.Content.ReadFromJsonAsync<JsonNode>();
        var (body, _) = await arrived;

        accepted!["async"]!.GetValue<bool>().Should().BeTrue();
        JsonNode.Parse(body)!["result"]!.ToJsonString().Should().Be("""{"x":1}""");
    }

    [Theory]
    [InlineData("http://10.0.0.1:9000/")]
    [InlineData("http://localhost:9000/")]
    [InlineData("https://127.0.0.1:9000/")]
    public void RequestComplete_OutsideLoopback_IsRefused(string address)
    {
        var options = ClusterFixture.Options(data) with { RequestComplete = new Uri(address) };

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage($"*'{address}' is not an http address on 127.0.0.0/8*");
    }

    /// <summary>Pushes and builds <paramref name="source"/> as alice's algorithm <paramref name="name"/> and returns the
    /// harness's async-capable call path to it.</summary>
    private async Task<(AlgorithmiaClient Client, AlgorithmiaBenchmarkCalls Calls, ExportedAlgorithm Entrypoint)> DeployAsync(EmbeddedCluster on, ClusterClient owner, string name, string source)
    {
        await owner.CreateAlgorithmAsync(name);
        var sha = await owner.PushAsync(name, source);
        (await owner.WaitForBuildAsync(name, sha))["status"]!.GetValue<string>().Should().Be("succeeded");
        var client = new AlgorithmiaClient(new ClusterConnection("destination", on.Address, on.UserKeys["alice"]));
        var entrypoint = new ExportedAlgorithm { TemplateName = name, ExportedName = name, Owner = "alice", Version = sha, EnvironmentId = "", Location = "", CreatedByThisRun = true };
        return (client, new AlgorithmiaBenchmarkCalls(client.Calls, completions), entrypoint);
    }
}
