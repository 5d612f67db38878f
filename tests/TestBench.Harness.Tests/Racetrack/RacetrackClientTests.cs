using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Racetrack;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.Racetrack;

/// <summary>The harness's Racetrack client and job packaging, against the embedded Racetrack.</summary>
public sealed class RacetrackClientTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    private static readonly string Algorithms = RepositoryLayout.Locate(AppContext.BaseDirectory, Environment.GetEnvironmentVariable).AlgorithmsDirectory;

    [Fact]
    public async Task TemplateAsJob_DeploysAndPerformCallsApply_WithParametersAndInputExample()
    {
        using var client = new RacetrackClient(new RacetrackConnection(racetrack.Host.Address, racetrack.Host.AuthToken));
        var name = JobPackage.JobNameOf("hello_world", "t1");
        var package = JobPackage.FromTemplate(Path.Combine(Algorithms, "hello_world"), "hello_world", name, "1.0.0", JsonValue.Create("Algorithmia"));

        var id = await client.DeployAsync(package.Manifest, package.BuildContext, force: false, CancellationToken.None);
        var pubUrl = await client.WaitForDeploymentAsync(id, TimeSpan.FromMinutes(2), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await client.WaitUntilReadyAsync(name, "1.0.0", TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var answer = await client.PerformAsync(name, "latest", new JsonObject { ["input"] = "Ann" }, CancellationToken.None);
        using var example = await racetrack.Http.PostAsync($"pub/job/{name}/1.0.0/api/v1/perform", new StringContent(""));
        var parameters = await client.ParametersAsync(name, "1.0.0", CancellationToken.None);

        name.Should().Be("hello-world-t1");
        pubUrl.AbsolutePath.Should().EndWith($"/pub/job/{name}/1.0.0");
        answer.Succeeded.Should().BeTrue(answer.Body);
        answer.Result!.GetValue<string>().Should().Be("hello Ann");
        (await example.Content.ReadAsStringAsync()).Should().Be("\"hello Algorithmia\"", "an empty body is the input example: the workflow's test_payload");
        parameters.ToJsonString().Should().Be("""[{"name":"input","default_value":null,"type":null}]""");
    }

    [Fact]
    public async Task FailedDeployment_SaysWhy_AndApiErrorsCarryRacetracksWords()
    {
        using var client = new RacetrackClient(new RacetrackConnection(racetrack.Host.Address, racetrack.Host.AuthToken));
        using var wrongToken = new RacetrackClient(new RacetrackConnection(racetrack.Host.Address, "not-the-token"));
        var package = JobPackage.FromTemplate(Path.Combine(Algorithms, "hello_world"), "hello_world", "hello-world-t2", "1.0.0", null);
        var broken = package with { Manifest = (JsonObject)package.Manifest.DeepClone() };
        broken.Manifest["jobtype_extra"]!["entrypoint_class"] = "NoSuchClass";

        var id = await client.DeployAsync(broken.Manifest, broken.BuildContext, force: false, CancellationToken.None);
        var wait = () => client.WaitForDeploymentAsync(id, TimeSpan.FromMinutes(2), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var refused = () => wrongToken.DeployAsync(package.Manifest, package.BuildContext, force: false, CancellationToken.None);

        (await wait.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("failed").And.Contain("defines no class NoSuchClass");
        (await refused.Should().ThrowAsync<RacetrackApiException>()).Which.Message.Should().Match($"POST /api/v1/deploy on the racetrack target at {racetrack.Host.Address} answered HTTP 401: * (tried once (*))");
        client.Connection.ToString().Should().NotContain(racetrack.Host.AuthToken);
    }

    [Fact]
    public async Task Deploy_PutsSecretsOnlyWhereLifecycleReadsThem()
    {
        // Lifecycle reads secret_vars.build_env and secret_vars.runtime_env (racetrack_client/client/env.py SecretVars,
        // lifecycle/deployer/deploy.py) and ignores any other key: a secret anywhere else never reaches the job.
        JsonNode? sent = null;
        await using var lifecycle = await LoopbackServer.StartAsync(async context =>
        {
            sent = await JsonNode.ParseAsync(context.Request.Body);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"d-1"}""");
        });
        using var client = new RacetrackClient(new RacetrackConnection(lifecycle.Address, "token-of-the-user"));
        var package = JobPackage.FromTemplate(Path.Combine(Algorithms, "hello_world"), "hello_world", "hello-world-t3", "1.0.0", null);

        await client.DeployAsync(package.Manifest, package.BuildContext, force: true, CancellationToken.None,
            new Dictionary<string, string> { ["CALLEE_KEY"] = "the-secret-value" });

        var secretVars = sent!["secret_vars"]!.AsObject();
        secretVars.Select(p => p.Key).Should().BeSubsetOf(["build_env", "runtime_env"]);
        secretVars["runtime_env"]!.ToJsonString().Should().Be("""{"CALLEE_KEY":"the-secret-value"}""");
        var elsewhere = sent.DeepClone().AsObject();
        elsewhere.Remove("secret_vars");
        elsewhere.ToJsonString().Should().NotContain("the-secret-value", "the manifest and the rest of the request are shown by Racetrack");
    }
}
