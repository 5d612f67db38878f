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

    private const string Required = "\"license\":\"apl\",\"network_access\":\"full\",\"pipeline_enabled\":true,\"source_visibility\":\"closed\"";

    [Theory]
    [InlineData("FormLanguage", "\"language\":\"python3-1\",\"environment\":\"cpu\"")]
    [InlineData("FormEnvironment", "\"algorithm_environment\":\"python3-default\"")]
    [InlineData("FormPackageSet", "\"package_set\":\"python3-default\"")]
    public async Task Create_EachDocumentedForm_IsAccepted(string name, string environment)
    {
        var environmentId = (await Alice.Http.GetFromJsonAsync<JsonNode>("v1/algorithm-environments/edge/languages/python3/environments"))!["environments"]![0]!["id"]!.GetValue<string>();
        var settings = "{" + Required + "," + environment.Replace("python3-default", environmentId, StringComparison.Ordinal) + "}";
        var body = $$"""{"name":"{{name}}","details":{"label":"L"},"settings":{{settings}}}""";

        using var response = await Alice.Http.PostAsync("v1/algorithms/alice", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"settings\":{" + Required + ",\"language\":\"python3-1\",\"environment\":\"cpu\"}}", "details.label is required")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{\"language\":\"python3-1\",\"environment\":\"cpu\"}}", "settings.license is required: one of apl, apache2, gpl3, mit")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{\"license\":\"gpl3\",\"network_access\":\"full\",\"pipeline_enabled\":true,\"source_visibility\":\"closed\",\"language\":\"python3-1\",\"environment\":\"cpu\"}}", "settings.source_visibility must be open with license 'gpl3'")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{" + Required + ",\"language\":\"python3-1\"}}", "settings.environment is required with language: one of cpu, gpu")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{" + Required + ",\"language\":\"python3\",\"environment\":\"cpu\"}}", "settings.language \"python3\" is not one of python3-1")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{" + Required + ",\"language\":\"python3-1\",\"environment\":\"cpu\",\"package_set\":\"x\"}}", "settings names the environment 2 ways (language, package_set)")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{" + Required + "}}", "settings must name the environment")]
    [InlineData("{\"details\":{\"label\":\"L\"},\"settings\":{\"license\":\"apl\",\"network_access\":\"full\",\"pipeline_enabled\":\"yes\",\"source_visibility\":\"closed\",\"language\":\"java\",\"environment\":\"cpu\"}}", "settings.pipeline_enabled is required: true or false; settings.language 'java' has no installed environment on this cluster")]
    public async Task Create_WithoutWhatApiDocsRequires_Is400NamingEveryField(string bodyWithoutName, string expected)
    {
        var body = JsonNode.Parse(bodyWithoutName)!.AsObject();
        body["name"] = "Refused" + Math.Abs(expected.GetHashCode(StringComparison.Ordinal) % 10_000);

        using var response = await Alice.Http.PostAsync("v1/algorithms/alice", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync<JsonNode>();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error!["error"]!["message"]!.GetValue<string>().Should().Contain(expected);
    }
}
