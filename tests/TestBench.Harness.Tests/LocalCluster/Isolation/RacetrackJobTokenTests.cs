using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>
/// A job's credential is its family's <c>AUTH_TOKEN</c>, never the user's: with it a job calls the jobs it was granted
/// <c>call_job</c> on (job-runner-python-lib call.py's request: <c>$PUB_URL/job/{name}/{version}{path}</c> with
/// <c>X-Racetrack-Auth</c>) and nothing else — no other job, no Lifecycle route.
/// </summary>
public sealed class RacetrackJobTokenTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    // What a job can do with the credential it was given, tried with the standard library as call.py does with httpx.
    private const string Caller = """
        import json, os, urllib.request, urllib.error

        def send(method, url, body=None):
            request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                             headers={"X-Racetrack-Auth": os.environ.get("AUTH_TOKEN", ""), "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return {"status": response.status, "body": json.loads(response.read() or b"null")}
            except urllib.error.HTTPError as error:
                return {"status": error.code, "body": error.read().decode()}

        class Caller:
            def perform(self, lifecycle):
                pub = os.environ["PUB_URL"]
                return {
                    "environment": dict(os.environ),
                    "permitted": send("POST", pub + "/job/callee/latest/api/v1/perform", {}),
                    "not_permitted": send("POST", pub + "/job/bystander/latest/api/v1/perform", {}),
                    "lifecycle_list": send("GET", lifecycle + "api/v1/job"),
                    "lifecycle_delete": send("DELETE", lifecycle + "api/v1/job/bystander/1.0.0"),
                }
        """;

    private const string Answer = "class Job:\n    def perform(self):\n        return 'answered'\n";

    [Fact]
    public async Task JobToken_CallsAPermittedJob_AndNothingElse_AndTheUsersTokenIsNowhereInTheJob()
    {
        foreach (var name in new[] { "callee", "bystander", "caller" })
        {
            var files = new Dictionary<string, string> { ["entry.py"] = name == "caller" ? Caller : Answer };
            var deployed = await racetrack.DeployAsync(RacetrackFixture.Manifest(name, "1.0.0"), files, force: true);
            deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());
        }

        using var granted = await racetrack.Http.PostAsync("api/v1/auth/allow/job_family/caller/job/callee/scope/call_job", null);
        using var perform = await racetrack.Http.PostAsJsonAsync("pub/job/caller/1.0.0/api/v1/perform", new JsonObject { ["lifecycle"] = racetrack.Host.Address.ToString() });
        var answer = JsonNode.Parse(await perform.Content.ReadAsStringAsync())!;
        var environment = answer["environment"]!.AsObject();

        granted.StatusCode.Should().Be(HttpStatusCode.OK);
        answer["permitted"]!["status"]!.GetValue<int>().Should().Be(200, answer.ToJsonString());
        answer["permitted"]!["body"]!.GetValue<string>().Should().Be("answered");
        answer["not_permitted"]!["status"]!.GetValue<int>().Should().Be(401);
        answer["not_permitted"]!["body"]!.GetValue<string>().Should().Contain("auth subject \\\"Job Family: caller\\\" does not have permission").And.Contain("with scope \\\"call_job\\\"");
        answer["lifecycle_list"]!["status"]!.GetValue<int>().Should().Be(401, "a job family's token opens no Lifecycle route");
        answer["lifecycle_delete"]!["status"]!.GetValue<int>().Should().Be(401);
        environment.Should().ContainKey("AUTH_TOKEN");
        environment["AUTH_TOKEN"]!.GetValue<string>().Should().NotBe(racetrack.Host.AuthToken);
        answer.ToJsonString().Should().NotContain(racetrack.Host.AuthToken, "the user's token is in no job's environment or answer");
        (await racetrack.Http.GetStringAsync("api/v1/job/caller/1.0.0")).Should().NotContain(environment["AUTH_TOKEN"]!.GetValue<string>(), "a job's token is not shown in its record");
    }

    [Theory]
    [InlineData("api/v1/auth/allow/job_family/granter/job/callee/scope/deploy_job", 400, "only call_job is emulated")]
    [InlineData("api/v1/auth/allow/job_family/never-deployed/job/callee/scope/call_job", 404, "Job family never-deployed was not found")]
    public async Task Grant_AnotherScopeOrAnUnknownFamily_IsRefusedSayingWhy(string route, int status, string expected)
    {
        var deployed = await racetrack.DeployAsync(RacetrackFixture.Manifest("granter", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = Answer }, force: true);
        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());

        using var refused = await racetrack.Http.PostAsync(route, null);

        ((int)refused.StatusCode).Should().Be(status);
        (await refused.Content.ReadAsStringAsync()).Should().Contain(expected);
    }

    [Fact]
    public async Task Grant_WithoutTheUsersToken_IsUnauthorized()
    {
        using var anonymous = new HttpClient { BaseAddress = racetrack.Host.Address };

        using var refused = await anonymous.PostAsync("api/v1/auth/allow/job_family/caller/job/callee/scope/call_job", null);

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
