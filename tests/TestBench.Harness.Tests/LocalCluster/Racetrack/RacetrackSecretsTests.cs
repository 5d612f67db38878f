using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>
/// Secret variables as Racetrack handles them (racetrack_client/client/env.py <c>SecretVars</c>; lifecycle/deployer/provision.py):
/// <c>secret_vars.build_env</c> reaches the build, <c>secret_vars.runtime_env</c> the job's processes, build variables are
/// cleared at run time, and none of them shows in the job's manifest, listing or logs.
/// </summary>
public sealed class RacetrackSecretsTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    // Module code runs at build time too (the entrypoint is loaded to read its parameters): it records what the build saw.
    private const string Entry = """
        import os

        if os.environ.get("PIP_TOKEN"):
            with open("seen-by-build.txt", "w") as seen:
                seen.write(os.environ["PIP_TOKEN"] + "," + os.environ.get("BUILD_MODE", ""))

        class Env:
            def perform(self):
                names = ["API_KEY", "MODE", "PIP_TOKEN", "BUILD_MODE"]
                seen = open("seen-by-build.txt").read() if os.path.exists("seen-by-build.txt") else None
                return {"runtime": {n: os.environ.get(n) for n in names}, "build": seen}
        """;

    [Fact]
    public async Task Deploy_SecretBuildAndRuntimeVariables_ReachOnlyTheBuildAndTheJob()
    {
        var manifest = RacetrackFixture.Manifest("secretive", "1.0.0");
        manifest["runtime_env"] = new JsonObject { ["MODE"] = "plain" };
        manifest["build_env"] = new JsonObject { ["BUILD_MODE"] = "fast" };
        var secrets = new JsonObject
        {
            ["build_env"] = new JsonObject { ["PIP_TOKEN"] = "build-secret-7f3a" },
            ["runtime_env"] = new JsonObject { ["API_KEY"] = "runtime-secret-91c2" },
        };

        var deployed = await racetrack.DeployAsync(manifest, new Dictionary<string, string> { ["entry.py"] = Entry }, secretVars: secrets);
        using var performed = await racetrack.Http.PostAsJsonAsync("pub/job/secretive/1.0.0/api/v1/perform", new JsonObject());
        var answer = await performed.Content.ReadFromJsonAsync<JsonNode>();
        var shown = string.Join('\n',
            deployed.ToJsonString(),
            await racetrack.Http.GetStringAsync("api/v1/job"),
            await racetrack.Http.GetStringAsync("api/v1/job/secretive/1.0.0"),
            await racetrack.Http.GetStringAsync("api/v1/job/secretive/1.0.0/logs?tail=0"),
            await racetrack.Http.GetStringAsync("api/v1/job/secretive/1.0.0/build-logs"));

        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());
        answer!["runtime"]!.ToJsonString().Should().Be("""{"API_KEY":"runtime-secret-91c2","MODE":"plain","PIP_TOKEN":"","BUILD_MODE":""}""",
            "runtime variables and secrets reach the job; build variables are cleared at run time");
        answer["build"]!.GetValue<string>().Should().Be("build-secret-7f3a,fast", "the build sees the manifest's build_env and the secret build_env");
        shown.Should().NotContain("build-secret-7f3a").And.NotContain("runtime-secret-91c2");
    }

    [Theory]
    [InlineData("""{"secret_runtime_env":{"KEY":"v"}}""", "secret_vars.secret_runtime_env is not read by Racetrack")]
    [InlineData("""{"runtime_env":{"KEY":1}}""", "secret_vars.runtime_env.KEY must be a string")]
    [InlineData("""{"build_env":["KEY"]}""", "secret_vars.build_env must map names to strings")]
    [InlineData("""["KEY"]""", "secret_vars must be an object")]
    public async Task Deploy_SecretsWhereLifecycleDoesNotReadThem_AreRefusedNamingTheField(string secretVars, string expected)
    {
        using var refused = await racetrack.Http.PostAsync("api/v1/deploy", JsonContent.Create(new JsonObject
        {
            ["manifest"] = RacetrackFixture.Manifest("misplaced", "1.0.1"),
            ["build_context"] = "",
            ["secret_vars"] = JsonNode.Parse(secretVars),
        }));
        var error = await refused.Content.ReadFromJsonAsync<JsonNode>();

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error!["error"]!.GetValue<string>().Should().Contain(expected);
        error["type"]!.GetValue<string>().Should().Be("ValidationError");
    }
}
