using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

public sealed class AuthorizationTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "v1/data/alice" },
        { "GET", "v1/algorithms/alice/Anything" },
        { "POST", "v1/algo/alice/Anything" },
        { "GET", "webapi/v1/algorithm-environments/environments/current" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Request_WithoutKey_Is401(string method, string route)
    {
        using var response = await Send(method, route, authorization: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"code\":2002").And.Contain("authorization required");
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Request_WithUnknownKey_Is401(string method, string route)
    {
        using var response = await Send(method, route, "Simple sim-not-a-key");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Simple {0}")]
    [InlineData("{0}")]
    [InlineData("Bearer {0}")]
    public async Task Request_KeyInAnyClientForm_IsAccepted(string format)
    {
        using var response = await Send("GET", "v1/data/alice", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, fixture.Cluster.UserKeys["alice"]));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("GET", "v1/data/alice")]
    [InlineData("PUT", "v1/data/alice/stolen/x")]
    [InlineData("GET", "v1/algorithms/alice/Anything")]
    [InlineData("POST", "v1/algorithms/alice")]
    public async Task Request_ForAnotherUsersThings_Is403(string method, string route)
    {
        using var response = await Send(method, route, "Simple " + fixture.Cluster.UserKeys["bob"]);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"code\":2001");
    }

    [Fact]
    public async Task EnvironmentWebApi_UserKey_Is403AndAdminKeyWorks()
    {
        using var asUser = await Send("GET", "webapi/v1/algorithm-environments/environments/current", fixture.Cluster.UserKeys["alice"]);
        using var asAdmin = await Send("GET", "webapi/v1/algorithm-environments/environments/available", fixture.Cluster.AdminKey);

        asUser.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        asAdmin.StatusCode.Should().Be(HttpStatusCode.OK);
        (await asAdmin.Content.ReadAsStringAsync()).Should().Contain("\"display_name\":\"Python 3\"").And.Contain("\"display_name\":\"Python 2.7\"");
    }

    [Fact]
    public async Task EnvironmentSync_MissingInterpreter_ReportsAClearFailure()
    {
        using var current = await Send("GET", "webapi/v1/algorithm-environments/environments/current", fixture.Cluster.AdminKey);
        using var sync = await Send("POST", "webapi/v1/algorithm-environments/environment-specifications/spec-python2/syncs", fixture.Cluster.AdminKey);
        using var poll = await Send("GET", "webapi/v1/algorithm-environments/environment-specifications/spec-python2/syncs/python2-local", fixture.Cluster.AdminKey);

        (await current.Content.ReadAsStringAsync()).Should().NotContain("Python 2.7", "python2 is not installed here");
        sync.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await poll.Content.ReadAsStringAsync()).Should().Contain("\"sync_result\":\"failed: Python 2.7 cannot be installed on this local cluster");
    }

    [Fact]
    public async Task Git_WithoutCredentials_AsksForThem()
    {
        using var response = await Send("GET", "git/alice/Anything.git/info/refs?service=git-upload-pack", authorization: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
    }

    private async Task<HttpResponseMessage> Send(string method, string route, string? authorization)
    {
        using var http = new HttpClient { BaseAddress = fixture.Cluster.Address };
        var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", new MediaTypeHeaderValue("application/json"));
        }

        return await http.SendAsync(request);
    }
}
