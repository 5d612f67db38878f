using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>
/// The Lifecycle routes Racetrack's CLI calls, with the shapes of Racetrack's source (racetrack e5821292):
/// lifecycle/endpoints/{job,deploy,user,plugin}.py, racetrack_commons/entities/dto.py, racetrack_commons/api/asgi/error_handler.py,
/// racetrack_client/client_config/alias.py (the <c>/lifecycle</c> prefix).
/// </summary>
public sealed class LifecycleRoutesTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    private const string Entry = "class Echo:\n    def perform(self, text: str = 'x'):\n        print('echo', text)\n        return text\n";

    [Theory]
    [InlineData("api/v1/no-such-route", "application/json", """{"detail":"Not Found"}""")]
    [InlineData("lifecycle/api/v1/no-such-route", "application/json", """{"detail":"Not Found"}""")]
    [InlineData("pub/no-such-route", "text/plain", "404 page not found")]
    public async Task UnknownRoute_Is404WithTheServersOwnBody(string route, string contentType, string body)
    {
        using var response = await racetrack.Http.GetAsync(route);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be(contentType);
        (await response.Content.ReadAsStringAsync()).Should().Be(body);
    }

    [Fact]
    public async Task WrongMethod_Is405WithFastApisBody()
    {
        using var response = await racetrack.Http.PutAsync("api/v1/deploy", JsonContent.Create(new JsonObject()));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"detail":"Method Not Allowed"}""");
    }

    [Fact]
    public async Task LifecyclePrefix_ServesTheSameApi_AndValidateUserAuthNamesTheUser()
    {
        var info = await racetrack.Http.GetFromJsonAsync<JsonNode>("lifecycle/api/v1/info");
        var profile = await racetrack.Http.GetFromJsonAsync<JsonNode>("lifecycle/api/v1/users/validate_user_auth");
        using var anonymous = new HttpClient { BaseAddress = racetrack.Host.Address };
        using var refused = await anonymous.GetAsync("api/v1/users/validate_user_auth");

        info!["service"]!.GetValue<string>().Should().Be("lifecycle");
        info["auth_required"]!.GetValue<bool>().Should().BeTrue();
        profile!.AsObject().Select(p => p.Key).Should().Equal("username", "token", "is_staff");
        profile["username"]!.GetValue<string>().Should().Be("testbench");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the CLI's login says 'Invalid Auth Token' on 401");
    }

    [Fact]
    public async Task JobRoutes_TakeLatestAndWildcardVersions_DeleteTakesOnlyAnExactOne()
    {
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0-rc1" })
        {
            (await racetrack.DeployAsync(RacetrackFixture.Manifest("aliases", version), new Dictionary<string, string> { ["entry.py"] = Entry }))["status"]!
                .GetValue<string>().Should().Be("done");
        }

        using var call = await racetrack.Http.PostAsJsonAsync("pub/job/aliases/1.1.0/api/v1/perform", new JsonObject { ["text"] = "seen-in-logs" });
        var latest = await racetrack.Http.GetFromJsonAsync<JsonNode>("api/v1/job/aliases/latest");
        var wildcard = await racetrack.Http.GetFromJsonAsync<JsonNode>("lifecycle/api/v1/job/aliases/1.x");
        var logs = await racetrack.Http.GetFromJsonAsync<JsonNode>("api/v1/job/aliases/latest/logs");
        using var plainLogs = await racetrack.Http.GetAsync("api/v1/job/aliases/1.1.x/logs/plain");
        var buildLogs = await racetrack.Http.GetStringAsync("api/v1/job/aliases/latest/build-logs/plain");
        var deployments = await racetrack.Http.GetFromJsonAsync<JsonArray>("api/v1/deploy?limit=2");
        using var deleteLatest = await racetrack.Http.DeleteAsync("api/v1/job/aliases/latest");

        latest!["version"]!.GetValue<string>().Should().Be("1.1.0", "latest is the highest stable version");
        wildcard!["version"]!.GetValue<string>().Should().Be("1.1.0");
        latest.AsObject().Select(p => p.Key).Should().Contain(["name", "version", "status", "create_time", "update_time", "manifest", "pub_url", "infrastructure_target", "job_type_version"]);
        logs!["logs"]!.GetValue<string>().Should().Contain("echo seen-in-logs");
        plainLogs.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await plainLogs.Content.ReadAsStringAsync()).Should().Contain("echo seen-in-logs");
        buildLogs.Should().Contain("== build succeeded");
        deployments!.Count.Should().Be(2);
        deployments[0]!.AsObject().Select(p => p.Key).Should().Contain(["id", "status", "manifest_yaml", "job_name", "job_version", "warnings"]);
        deleteLatest.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await deleteLatest.Content.ReadFromJsonAsync<JsonNode>())!["type"]!.GetValue<string>().Should().Be("EntityNotFound");
    }

    [Fact]
    public async Task Deploy_WithFieldsNotEmulated_DeploysWithAWarningNamingThem()
    {
        var manifest = RacetrackFixture.Manifest("warned", "1.0.0");
        manifest["replicas"] = 3;
        manifest["resources"] = new JsonObject { ["memory_max"] = "1Gi" };
        manifest["image_type"] = "docker";

        var deployed = await racetrack.DeployAsync(manifest, new Dictionary<string, string> { ["entry.py"] = Entry });
        var plain = await racetrack.DeployAsync(RacetrackFixture.Manifest("unwarned", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = Entry });

        deployed["status"]!.GetValue<string>().Should().Be("done");
        deployed["warnings"]!.GetValue<string>().Should().Contain("replicas, resources").And.NotContain("image_type", "docker is what is emulated");
        plain["warnings"].Should().BeNull();
    }

    [Fact]
    public async Task Redeploy_BuildsAgainWithTheSameSecrets_MoveSaysThereIsOneInfrastructure()
    {
        var secrets = new JsonObject { ["runtime_env"] = new JsonObject { ["CALLEE_KEY"] = "kept-for-redeploy" } };
        const string reader = "import os\n\nclass Reader:\n    def perform(self):\n        return os.environ.get('CALLEE_KEY')\n";
        (await racetrack.DeployAsync(RacetrackFixture.Manifest("redeployed", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = reader }, secretVars: secrets))["status"]!
            .GetValue<string>().Should().Be("done");
        var before = (await racetrack.Http.GetFromJsonAsync<JsonNode>("api/v1/job/redeployed/1.0.0"))!["create_time"]!.GetValue<long>();
        await Task.Delay(1100);

        using var redeploy = await racetrack.Http.PostAsync("api/v1/job/redeployed/1.0.0/redeploy", null);
        var after = (await racetrack.Http.GetFromJsonAsync<JsonNode>("api/v1/job/redeployed/1.0.0"))!["create_time"]!.GetValue<long>();
        using var call = await racetrack.Http.PostAsJsonAsync("pub/job/redeployed/1.0.0/api/v1/perform", new JsonObject());
        using var moveHere = await racetrack.Http.PostAsJsonAsync("api/v1/job/redeployed/1.0.0/move", new JsonObject { ["infrastructure_target"] = "embedded" });
        using var moveAway = await racetrack.Http.PostAsJsonAsync("api/v1/job/redeployed/1.0.0/move", new JsonObject { ["infrastructure_target"] = "kubernetes" });
        using var moveNowhere = await racetrack.Http.PostAsJsonAsync("api/v1/job/redeployed/1.0.0/move", new JsonObject());

        redeploy.StatusCode.Should().Be(HttpStatusCode.OK, await redeploy.Content.ReadAsStringAsync());
        (await redeploy.Content.ReadAsStringAsync()).Should().Be("null");
        after.Should().BeGreaterThan(before, "the job was built and started again");
        (await call.Content.ReadAsStringAsync()).Should().Be("\"kept-for-redeploy\"");
        moveHere.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await moveHere.Content.ReadAsStringAsync()).Should().Contain("new infrastructure target has to be different from the current one");
        (await moveAway.Content.ReadAsStringAsync()).Should().Contain("one infrastructure target, 'embedded'");
        moveNowhere.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await moveNowhere.Content.ReadFromJsonAsync<JsonNode>())!["detail"]![0]!["loc"]!.ToJsonString().Should().Be("""["body","infrastructure_target"]""");
    }

    [Fact]
    public async Task Deploy_WithoutAManifest_Is422AsFastApiValidates_JobTypesAreListed()
    {
        using var response = await racetrack.Http.PostAsJsonAsync("api/v1/deploy", new JsonObject { ["build_context"] = "" });
        var jobTypes = await racetrack.Http.GetFromJsonAsync<JsonArray>("api/v1/plugin/job_type/versions");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"detail":[{"type":"missing","loc":["body","manifest"],"msg":"Field required"}]}""");
        jobTypes!.Select(t => t!.GetValue<string>()).Should().Equal("python3:latest");
    }
}
