using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>Bad input gets a 4xx in the platform's JSON error shape, naming what was wrong; never an empty 500.</summary>
public sealed class ErrorAnswerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private HttpClient Http => fixture.Alice.Http;

    [Theory]
    [InlineData("published=yes", "query 'published' is 'yes'; use true or false")]
    [InlineData("callable=1", "query 'callable' is '1'; use true or false")]
    public async Task ListVersions_UnparseableFlag_Answers400(string query, string expected)
    {
        await fixture.Alice.CreateAlgorithmAsync("Flags" + query.Length);

        using var response = await Http.GetAsync($"v1/algorithms/alice/Flags{query.Length}/versions?{query}");

        await ExpectErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Publish_VersionTypeNotAString_Answers400()
    {
        await fixture.Alice.CreateAlgorithmAsync("Numbered");

        using var response = await Http.PostAsync("v1/algorithms/alice/Numbered/versions", Json("""{"version_info":{"version_type":3}}"""));

        await ExpectErrorAsync(response, HttpStatusCode.BadRequest, "version_info.version_type is '3'; use major, minor or patch");
    }

    [Fact]
    public async Task Create_EnvironmentNotAString_Answers400()
    {
        using var response = await Http.PostAsync("v1/algorithms/alice", Json("""{"name":"Envy","settings":{"algorithm_environment":5}}"""));

        await ExpectErrorAsync(response, HttpStatusCode.BadRequest, "settings.algorithm_environment is 5; it must be the id (a string) of an environment of this cluster");
    }

    [Fact]
    public async Task Data_PathBeyondTheLimit_Answers400()
    {
        var deep = string.Join('/', Enumerable.Repeat(new string('d', 200), 20));

        using var response = await Http.GetAsync($"v1/data/alice/{deep}");

        await ExpectErrorAsync(response, HttpStatusCode.BadRequest, "is longer than 3072 bytes");
    }

    [Fact]
    public async Task Call_PayloadOverTheLimit_TheClientReportsTheServersWords()
    {
        await fixture.Alice.CreateAlgorithmAsync("Swallower");
        var sha = await fixture.Alice.PushAsync("Swallower", "def apply(input):\n    return len(input)\n");
        (await fixture.Alice.WaitForBuildAsync("Swallower", sha))["status"]!.GetValue<string>().Should().Be("succeeded");
        using var client = new AlgorithmiaClient(new ClusterConnection("destination", fixture.Cluster.Address, fixture.Cluster.UserKeys["alice"]));

        var response = await client.Calls.CallAsync("alice", "Swallower", sha, JsonValue.Create(new string('x', 11 * 1024 * 1024)), 30, CancellationToken.None);

        response.Status.Should().Be(413);
        response.ErrorMessage.Should().Contain("calls accept at most 10485760 bytes (10 MiB)");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The status, and a body in the platform's shape: <c>{"error": {"id", "code", "message"}}</c>.</summary>
    internal static async Task<JsonNode> ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        response.StatusCode.Should().Be(status);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var error = body["error"]!;
        error["id"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        error["code"]!.GetValue<int>().Should().BePositive();
        error["message"]!.GetValue<string>().Should().Contain(message);
        return error;
    }
}
