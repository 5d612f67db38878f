using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>
/// What the official client (algorithmia-python 2.0.5, Algorithmia/client.py and algorithm.py; its mock server
/// Test/api/app.py) calls and parses, answered in the platform's shapes: every failure has an <c>error</c> body.
/// </summary>
public sealed class PlatformShapeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClusterClient Alice => fixture.Alice;

    [Theory]
    [InlineData("GET", "v1/no-such-route", 404)]
    [InlineData("GET", "v2/algorithms/alice", 404)]
    [InlineData("PATCH", "v1/algorithms/alice", 405)]
    public async Task UnknownRouteOrMethod_AnswersThePlatformsErrorBody(string method, string route, int status)
    {
        using var response = await Alice.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), route));
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();

        ((int)response.StatusCode).Should().Be(status);
        body!["error"]!["code"]!.GetValue<int>().Should().Be(6001);
        body["error"]!["message"]!.GetValue<string>().Should().StartWith($"{method} /{route}: ");
    }

    [Fact]
    public async Task MissingAlgorithm_SaysNoSuchAlgorithm_AsTheOfficialClientsExistsLooksFor()
    {
        using var response = await Alice.Http.GetAsync("v1/algorithms/alice/NeverCreated");
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        body!["error"]!["message"]!.GetValue<string>().Should().Contain("No such algorithm");
        body["error"]!["code"]!.GetValue<int>().Should().Be(1001);
    }

    [Fact]
    public async Task EdgeLanguages_AndTheInternalScm_AreListed()
    {
        await Alice.CreateAlgorithmAsync("ScmStatus");

        var languages = await Alice.Http.GetFromJsonAsync<JsonArray>("v1/algorithm-environments/edge/languages");
        var scms = await Alice.Http.GetFromJsonAsync<JsonNode>("v1/scms");
        var status = await Alice.Http.GetFromJsonAsync<JsonNode>("v1/algorithms/alice/ScmStatus/scm/status");

        languages!.Select(l => l!["name"]!.GetValue<string>()).Should().Contain("python3");
        languages!.Should().AllSatisfy(l => l!.AsObject().Select(p => p.Key).Should().Equal("name", "display_name", "configuration"));
        JsonNode.Parse(languages![0]!["configuration"]!.GetValue<string>())!["display_name"].Should().NotBeNull("configuration is the language's JSON text");
        scms!["results"]!.ToJsonString().Should().Be("""[{"id":"internal","provider":"internal","default":true,"enabled":true}]""");
        status!.ToJsonString().Should().Be("""{"scm_connection_status":"active"}""");
    }
}
