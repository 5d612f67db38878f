using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>An algorithm sees only its own build: probes from inside <c>apply</c> on a real cluster.</summary>
public sealed class SandboxTests(SandboxTests.ProberCluster prober) : IClassFixture<SandboxTests.ProberCluster>
{
    private static readonly string Prober = Isolation.IsolationProbe.Source + """

        import json, os, subprocess

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
            if input["op"] == "env":
                return json.dumps(dict(os.environ))
            if input["op"] == "checks":
                return json.dumps(probe(input))
            if input["op"] == "tamper":
                # Put a link to a host file in place of the answer FIFO, as a hostile algorithm would.
                path = os.environ["TESTBENCH_PIPE_OUT"]
                try:
                    os.unlink(path)
                    os.symlink(input["target"], path)
                    return "replaced"
                except OSError as e:
                    return "denied: " + errno.errorcode.get(e.errno, str(e.errno))
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
    public async Task Apply_FromInside_ShowsNoPrivilegeAndNoOtherUser()
    {
        var answer = await CallAsync(Isolation.IsolationProbe.Checks(
            read: [Path.Combine(Fixture.DataDirectory, "keys.json"), Path.Combine(Fixture.DataDirectory, "data", "bob")],
            write: [Fixture.DataDirectory, Path.Combine(Fixture.DataDirectory, "data", "alice")]));

        Isolation.IsolationProbe.ShouldShowNoPrivilege(JsonNode.Parse(answer), "an Algorithmia worker");
    }

    [SkippableFact]
    public async Task Apply_ItsCredential_IsAnAlgorithmKeyOfItsOwn_NoUsersAndNotTheAdmins()
    {
        var environment = JsonNode.Parse(await CallAsync(new JsonObject { ["op"] = "env" }))!.AsObject();
        var key = environment["ALGORITHMIA_API_KEY"]!.GetValue<string>();

        key.Should().StartWith("sim").And.NotBe(Fixture.Cluster.UserKeys["alice"]).And.NotBe(Fixture.Cluster.UserKeys["bob"]).And.NotBe(Fixture.Cluster.AdminKey);
        environment.ToJsonString().Should().NotContain(Fixture.Cluster.AdminKey).And.NotContain(Fixture.Cluster.UserKeys["alice"]);
        using var adminRoute = new HttpRequestMessage(HttpMethod.Get, "webapi/v1/algorithm-environments/environments/current") { Headers = { { "Authorization", $"Simple {key}" } } };
        using var http = new HttpClient { BaseAddress = Fixture.Cluster.Address };
        ((int)(await http.SendAsync(adminRoute)).StatusCode).Should().Be(403, "an algorithm's key has its owner's rights, not the admin's");
    }

    [SkippableFact]
    public async Task Apply_ReplacesItsAnswerFifoWithALink_IsDenied_AndTheNextCallIsAnswered()
    {
        var hostFile = Path.Combine(Fixture.DataDirectory, "host-file.txt");
        await File.WriteAllTextAsync(hostFile, "unchanged");

        var tampered = await CallAsync(new JsonObject { ["op"] = "tamper", ["target"] = hostFile });
        var next = await CallAsync(new JsonObject { ["op"] = "read", ["path"] = "src/Prober.py" });

        tampered.Should().StartWith("denied: ", "the FIFO is mounted read-only into the sandbox");
        next.Should().StartWith("read: ");
        (await File.ReadAllTextAsync(hostFile)).Should().Be("unchanged");
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
