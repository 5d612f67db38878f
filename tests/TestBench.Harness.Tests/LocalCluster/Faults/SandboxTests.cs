using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>An algorithm sees only its own build: probes from inside <c>apply</c> on a real cluster.</summary>
public sealed class SandboxTests(SandboxTests.ProberCluster prober) : IClassFixture<SandboxTests.ProberCluster>
{
    private const string Prober = """
        import os, subprocess

        def apply(input):
            if input["op"] == "read":
                try:
                    with open(input["path"]) as f:
                        return "read: " + f.read()
                except OSError as e:
                    return "denied: " + type(e).__name__
            if input["op"] == "write":
                try:
                    with open(input["path"], "w") as f:
                        f.write("x")
                    return "written"
                except OSError as e:
                    return "denied: " + type(e).__name__
            if input["op"] == "orphan":
                subprocess.Popen(["sleep", input["seconds"]])
                os._exit(1)
            return "unknown op"
        """;

    private ClusterFixture Fixture => prober.Cluster;

    private string Sha => prober.Sha;


    [SkippableTheory]
    [InlineData("keys.json")]
    [InlineData("../../../../../keys.json")]
    [InlineData("data/bob")]
    public async Task Apply_ReadsOutsideItsBuild_IsDenied(string path)
    {
        var target = path.StartsWith("..", StringComparison.Ordinal) ? path : Path.Combine(Fixture.DataDirectory, path);
        if (path == "data/bob")
        {
            await Fixture.Bob.SendJsonAsync(HttpMethod.Post, "v1/data/bob", new JsonObject { ["name"] = "private" });
            target = Path.Combine(Fixture.DataDirectory, "data", "bob", "private");
        }

        var answer = await CallAsync(new JsonObject { ["op"] = "read", ["path"] = target });

        answer.Should().StartWith("denied: ", $"'{target}' is outside the algorithm's build");
        answer.Should().NotContain(Fixture.Cluster.UserKeys["bob"]).And.NotContain(Fixture.Cluster.AdminKey);
    }

    [SkippableFact]
    public async Task Apply_WritesItsOwnCode_IsDenied()
    {
        var answer = await CallAsync(new JsonObject { ["op"] = "write", ["path"] = "src/Prober.py" });

        answer.Should().Be("denied: OSError", "the build is mounted read-only");
    }

    [SkippableFact]
    public async Task Apply_LeavesAChildAndDies_TheChildDiesToo()
    {
        Skip.If(prober.WhyNot is not null, $"no sandbox on this machine: {prober.WhyNot}");
        var seconds = $"313.{Random.Shared.Next(100, 999)}";

        var (status, _) = await Fixture.Alice.CallAsync($"alice/Prober/{Sha}", new JsonObject { ["op"] = "orphan", ["seconds"] = seconds }.ToJsonString());

        status.Should().Be(200, "the crash is the algorithm's error, answered in the platform's shape");
        await Eventually.HoldsAsync(() => !ProcessTable.AnyRunning("sleep", seconds), $"no 'sleep {seconds}' should outlive the worker that started it");
    }

    private async Task<string> CallAsync(JsonObject input)
    {
        Skip.If(prober.WhyNot is not null, $"no sandbox on this machine: {prober.WhyNot}");
        var (status, body) = await Fixture.Alice.CallAsync($"alice/Prober/{Sha}", input.ToJsonString());
        status.Should().Be(200);
        return body["result"]!.GetValue<string>();
    }

    /// <summary>A cluster with the prober built once for all the tests here.</summary>
    public sealed class ProberCluster : IAsyncLifetime
    {
        public ClusterFixture Cluster { get; } = new();

        public string Sha { get; private set; } = "";

        /// <summary>Why this machine has no sandbox; <see langword="null"/> when it has one.</summary>
        public string? WhyNot { get; private set; }

        public async Task InitializeAsync()
        {
            WhyNot = (await Sandbox.DetectAsync(CancellationToken.None)).WhyNot;
            await Cluster.InitializeAsync();
            await Cluster.Alice.CreateAlgorithmAsync("Prober");
            Sha = await Cluster.Alice.PushAsync("Prober", Prober);
            (await Cluster.Alice.WaitForBuildAsync("Prober", Sha))["status"]!.GetValue<string>().Should().Be("succeeded");
        }

        public Task DisposeAsync() => Cluster.DisposeAsync();
    }
}
