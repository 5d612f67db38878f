using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>The embedded Racetrack's Lifecycle and Pub routes, against real deployments of real Python jobs.</summary>
public sealed class RacetrackApiTests(RacetrackApiTests.DeployedJobs jobs) : IClassFixture<RacetrackApiTests.DeployedJobs>
{
    private const string Greeter = """
        from typing import List


        class Greeter:
            def __init__(self):
                self.greeting = "hi"

            def perform(self, name: str, times: int = 1, *extra: float, **rest) -> str:
                if name == "bad":
                    raise ValueError("bad name")
                if name == "boom":
                    raise KeyError("boom")
                print("greeting", name)
                return " ".join([self.greeting + " " + name] * times)

            def docs_input_example(self):
                return {"name": "Example"}
        """;

    private HttpClient Http => jobs.Racetrack.Http;

    [Fact]
    public async Task Info_WithoutAToken_DescribesTheService()
    {
        using var anonymous = new HttpClient { BaseAddress = jobs.Racetrack.Host.Address };

        var info = await anonymous.GetFromJsonAsync<JsonNode>("api/v1/info");

        info!["service"]!.GetValue<string>().Should().Be("lifecycle");
        info["auth_required"]!.GetValue<bool>().Should().BeTrue();
        info["external_pub_url"]!.GetValue<string>().Should().Be(new Uri(jobs.Racetrack.Host.Address, "pub").ToString());
    }

    [Fact]
    public async Task Deploy_Done_DescribesTheJobWithItsPubUrl()
    {
        var job = jobs.Deployed["1.0.0"]["job"]!;

        jobs.Deployed["1.0.0"]["status"]!.GetValue<string>().Should().Be("done");
        job["name"]!.GetValue<string>().Should().Be("greeter");
        job["status"]!.GetValue<string>().Should().Be("running");
        job["pub_url"]!.GetValue<string>().Should().Be(new Uri(jobs.Racetrack.Host.Address, "pub/job/greeter/1.0.0").ToString());
        var listed = await Http.GetFromJsonAsync<JsonArray>("api/v1/job");
        listed!.Select(j => $"{j!["name"]} {j["version"]}").Should().Contain(["greeter 1.0.0", "greeter 1.2.0"]);
        (await Http.GetFromJsonAsync<JsonNode>("api/v1/job/greeter/1.2.0"))!["version"]!.GetValue<string>().Should().Be("1.2.0");
    }

    [Theory]
    [InlineData("1.0.0", "hi Ann hi Ann")]
    [InlineData("latest", "hi Ann hi Ann")]
    [InlineData("1.x", "hi Ann hi Ann")]
    public async Task Perform_BindsTheObjectToKeywordArguments_AtEveryVersionForm(string version, string expected)
    {
        using var response = await Http.PostAsJsonAsync($"pub/job/greeter/{version}/api/v1/perform", new JsonObject { ["name"] = "Ann", ["times"] = 2 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<string>()).Should().Be(expected);
        response.Headers.GetValues("X-Request-Tracing-Id").Single().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Perform_Latest_IsTheHighestStableVersion()
    {
        var latest = await Http.GetFromJsonAsync<JsonNode>("pub/job/greeter/latest/health");

        latest!["job_version"]!.GetValue<string>().Should().Be("1.2.0", "2.0.0-beta is not stable");
    }

    [Theory]
    [InlineData("""{"name":"bad"}""", 400, "ValueError", "bad name")]
    [InlineData("""{"name":"boom"}""", 500, "KeyError", "'boom'")]
    [InlineData("""{"nom":"x"}""", 400, "ValueError", "failed to call a function: *")]
    public async Task Perform_Errors_AreTheJobTypesShapeAndStatus(string body, int status, string type, string message)
    {
        using var response = await Http.PostAsync("pub/job/greeter/1.0.0/api/v1/perform", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync<JsonNode>();

        ((int)response.StatusCode).Should().Be(status);
        error!["type"]!.GetValue<string>().Should().Be(type);
        error["error"]!.GetValue<string>().Should().Match(message);
    }

    [Fact]
    public async Task Perform_NotAnObject_Is422_AndAnEmptyBodyUsesTheInputExample()
    {
        using var array = await Http.PostAsync("pub/job/greeter/1.0.0/api/v1/perform", new StringContent("[1]", Encoding.UTF8, "application/json"));
        using var empty = await Http.PostAsync("pub/job/greeter/1.0.0/api/v1/perform", new StringContent(""));

        array.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await array.Content.ReadAsStringAsync()).Should().Contain("valid dictionary");
        (await empty.Content.ReadFromJsonAsync<string>()).Should().Be("hi Example");
    }

    [Fact]
    public async Task Parameters_ComeFromTheSignature_RequiredFirstWithTypesAndDefaults()
    {
        var parameters = await Http.GetFromJsonAsync<JsonArray>("pub/job/greeter/1.0.0/api/v1/parameters");

        parameters!.ToJsonString().Should().Be("""[{"name":"name","type":"str"},{"name":"times","default_value":1,"type":"int"},{"name":"extra","default_value":null,"type":"List[float]"}]""");
    }

    [Fact]
    public async Task Auth_WithoutTheToken_CallsAndDeploysAre401_ProbesAreOpen()
    {
        using var anonymous = new HttpClient { BaseAddress = jobs.Racetrack.Host.Address };

        using var perform = await anonymous.PostAsJsonAsync("pub/job/greeter/1.0.0/api/v1/perform", new JsonObject { ["name"] = "x" });
        using var deploy = await anonymous.PostAsJsonAsync("api/v1/deploy", new JsonObject());
        using var health = await anonymous.GetAsync("pub/job/greeter/1.0.0/health");

        perform.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await perform.Content.ReadAsStringAsync()).Should().Contain("Unauthenticated");
        deploy.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownJob_Is404FromPub()
    {
        using var response = await Http.PostAsJsonAsync("pub/job/nobody/1.0.0/api/v1/perform", new JsonObject());

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Job was not found: nobody 1.0.0");
    }

    [Fact]
    public async Task MetricsAndLogs_CountCallsAndKeepWhatTheyPrinted()
    {
        (await Http.PostAsJsonAsync("pub/job/greeter/1.2.0/api/v1/perform", new JsonObject { ["name"] = "Logged" })).Dispose();

        var metrics = await Http.GetStringAsync("pub/job/greeter/1.2.0/metrics");
        var logs = await Http.GetFromJsonAsync<JsonNode>("api/v1/job/greeter/1.2.0/logs?tail=50");
        var buildLogs = await Http.GetFromJsonAsync<JsonNode>("api/v1/job/greeter/1.2.0/build-logs");

        metrics.Should().MatchRegex(@"requests_started_total [1-9]").And.Contain("request_duration_bucket{endpoint=\"/perform\",le=\"0.001\"}")
            .And.MatchRegex(@"request_duration_count\{endpoint=""/perform""\} [1-9]");
        logs!["logs"]!.GetValue<string>().Should().Contain("greeting Logged");
        buildLogs!["logs"]!.GetValue<string>().Should().Contain("== build succeeded");
    }

    [Theory]
    [InlineData("under_score", "must be lower-case letters, digits and dashes")]
    [InlineData("fine", "manifest.colour is not a job.yaml field")]
    public async Task Deploy_InvalidManifest_Is400NamingTheField(string name, string problem)
    {
        var manifest = RacetrackFixture.Manifest(name, "1.0.0");
        if (name == "fine")
        {
            manifest["colour"] = "blue";
        }

        using var response = await jobs.Racetrack.PostDeployAsync(manifest, new Dictionary<string, string> { ["entry.py"] = Greeter });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(problem);
    }

    [Fact]
    public async Task Deploy_WithoutBuildContext_Is400SayingGitIsNotCloned()
    {
        using var response = await Http.PostAsJsonAsync("api/v1/deploy", new JsonObject { ["manifest"] = RacetrackFixture.Manifest("gitonly", "1.0.0") });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("does not clone git remotes");
    }

    [Theory]
    [InlineData("other.py", "entrypoint_path entry.py is not in the build context")]
    [InlineData("entry.py", "must define exactly one class (it defines 2: A, B)")]
    public async Task Deploy_BrokenJob_FailsTheDeploymentWithTheReason(string file, string reason)
    {
        var deployment = await jobs.Racetrack.DeployAsync(RacetrackFixture.Manifest("broken-" + file[..5], "1.0.0"),
            new Dictionary<string, string> { [file] = "class A:\n    def perform(self):\n        return 1\n\nclass B:\n    pass\n" });

        deployment["status"]!.GetValue<string>().Should().Be("failed");
        deployment["error"]!.GetValue<string>().Should().Contain(reason);
    }

    [Fact]
    public async Task Deploy_SameVersionAgain_FailsUnlessForced()
    {
        var files = new Dictionary<string, string> { ["entry.py"] = Greeter };

        var again = await jobs.Racetrack.DeployAsync(RacetrackFixture.Manifest("greeter", "1.0.0"), files);

        again["status"]!.GetValue<string>().Should().Be("failed");
        again["error"]!.GetValue<string>().Should().Contain("already deployed");
    }

    [Fact]
    public async Task Delete_ExactVersion_RemovesIt_AndLatestIsNotADeletableVersion()
    {
        await jobs.Racetrack.DeployAsync(RacetrackFixture.Manifest("doomed", "0.1.0"), new Dictionary<string, string> { ["entry.py"] = Greeter });

        using var byLatest = await Http.DeleteAsync("api/v1/job/doomed/latest");
        using var deleted = await Http.DeleteAsync("api/v1/job/doomed/0.1.0");
        using var gone = await Http.GetAsync("api/v1/job/doomed/0.1.0");

        byLatest.StatusCode.Should().Be(HttpStatusCode.NotFound);
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>One Racetrack with greeter 1.0.0, 1.2.0 and 2.0.0-beta deployed once for the class.</summary>
    public sealed class DeployedJobs : IAsyncLifetime
    {
        public RacetrackFixture Racetrack { get; } = new();

        public Dictionary<string, JsonNode> Deployed { get; } = [];

        public async Task InitializeAsync()
        {
            await Racetrack.InitializeAsync();
            foreach (var version in new[] { "1.0.0", "1.2.0", "2.0.0-beta" })
            {
                Deployed[version] = await Racetrack.DeployAsync(RacetrackFixture.Manifest("greeter", version), new Dictionary<string, string> { ["entry.py"] = Greeter });
            }
        }

        public Task DisposeAsync() => Racetrack.DisposeAsync();
    }
}
