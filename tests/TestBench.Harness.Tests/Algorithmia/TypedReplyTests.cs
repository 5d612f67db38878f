using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Algorithmia;

/// <summary>Replies are checked where they come in: a field the harness needs and does not get names the route, the field and the status.</summary>
public sealed class TypedReplyTests
{
    [Fact]
    public async Task Builds_ReplyWithoutStatus_NamesRouteFieldAndStatus()
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, string>
        {
            ["/v1/algorithms/alice/Hello/builds"] = """{"results":[{"build_id":"b1","commit_sha":"abc"}]}""",
        });
        using var client = Client(api);

        var act = () => client.Algorithms.BuildsAsync("alice", "Hello", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AlgorithmiaApiException>()).Which;
        error.Route.Should().Be("/v1/algorithms/alice/Hello/builds");
        error.Status.Should().Be(HttpStatusCode.OK);
        error.Message.Should().Match("GET /v1/algorithms/alice/Hello/builds on the destination cluster at http://127.0.0.1:*/ failed: HTTP 200: the reply is not a valid BuildPage:*")
            .And.Contain("'status'");
    }

    [Fact]
    public async Task Builds_NullWhereAStringBelongs_NamesThePath()
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, string>
        {
            ["/v1/algorithms/alice/Hello/builds"] = """{"results":[{"build_id":"b1","commit_sha":null,"status":"succeeded"}]}""",
        });
        using var client = Client(api);

        var act = () => client.Algorithms.BuildsAsync("alice", "Hello", CancellationToken.None);

        (await act.Should().ThrowAsync<AlgorithmiaApiException>()).Which.Message.Should().Contain("at 'results[0].commit_sha'");
    }

    [Fact]
    public async Task BuildOf_FollowsTheMarkerPages_UntilTheCommitsBuild()
    {
        // api-docs "Pagination": {marker, next_link, results}; the next page is the same query with ?marker=.
        var asked = new List<string>();
        await using var api = await LoopbackServer.StartAsync(async context =>
        {
            asked.Add(context.Request.QueryString.Value ?? "");
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Query["marker"].ToString() switch
            {
                "" => """{"marker":"p2","next_link":"x","results":[{"build_id":"b3","commit_sha":"new","status":"succeeded"}]}""",
                "p2" => """{"marker":"p3","next_link":"x","results":[{"build_id":"b2","commit_sha":"old","status":"failed"}]}""",
                _ => """{"marker":null,"next_link":null,"results":[]}""",
            });
        });
        using var client = Client(api);

        var old = await client.Algorithms.BuildOfAsync("alice", "Hello", "old", CancellationToken.None);
        asked.Clear();
        var none = await client.Algorithms.BuildOfAsync("alice", "Hello", "never", CancellationToken.None);

        old!.BuildId.Should().Be("b2", "the commit's build is on the second page");
        none.Should().BeNull();
        asked.Should().Equal("?limit=50", "?limit=50&marker=p2", "?limit=50&marker=p3");
    }

    [Fact]
    public async Task Username_RootListingWithoutFolders_SaysSo()
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, string> { ["/v1/data/"] = """{"files":[]}""" });
        using var client = Client(api);

        var act = () => client.Data.UsernameAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<AlgorithmiaApiException>()).Which.Message
            .Should().Match("GET /v1/data/ on the destination cluster at http://127.0.0.1:*/ failed: HTTP 200: the root listing names no user (no 'folders') (tried once (*))");
    }

    [Theory]
    [InlineData("null", "the reply is not a valid SyncReply: the reply is JSON null")]
    [InlineData("[1]", "the reply is not a valid SyncReply: The JSON value could not be converted to SyncReply")]
    [InlineData("{\"sync_result\":", "the reply is not JSON: it does not parse (Expected depth to be zero")]
    public async Task SyncResult_UnusableBody_IsAnApiError(string body, string expected)
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, string>
        {
            ["/webapi/v1/algorithm-environments/environment-specifications/s1/syncs/e1"] = body,
        });
        using var client = Client(api);

        var act = () => client.Environments.SyncResultAsync("s1", "e1", CancellationToken.None);

        (await act.Should().ThrowAsync<AlgorithmiaApiException>()).Which.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Environments_SnakeCaseFields_AreRead()
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, string>
        {
            ["/webapi/v1/algorithm-environments/environments/available"] =
                """[{"id":"e1","display_name":"Python 3.11","environment_specification_id":"s1","language":{"name":"python3","display_name":"Python 3.x"},"machine_type":"CPU"}]""",
        });
        using var client = Client(api);

        var environments = await client.Environments.AvailableAsync(CancellationToken.None);

        environments.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Id = "e1",
            DisplayName = "Python 3.11",
            EnvironmentSpecificationId = "s1",
            Language = new { Name = "python3" },
        });
    }

    private static AlgorithmiaClient Client(LoopbackServer api) => new(new ClusterConnection("destination", api.Address, "simabcdef0123456789"));
}
