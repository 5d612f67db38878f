using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>What a job does while it starts and under load: readiness before its entrypoint exists, the concurrency queue.</summary>
public sealed class RacetrackJobLifecycleTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    [Fact]
    public async Task Ready_WhileTheEntrypointIsStillBeingConstructed_Is500ThenTurns200()
    {
        var files = new Dictionary<string, string>
        {
            ["entry.py"] = "import time\n\nclass Slow:\n    def __init__(self):\n        time.sleep(4)\n\n    def perform(self):\n        return 'ready now'\n",
        };
        using var response = await racetrack.PostDeployAsync(RacetrackFixture.Manifest("slow-start", "1.0.0"), files);
        var id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();

        JsonNode? whileStarting = null;
        for (var attempt = 0; attempt < 600 && whileStarting is null; attempt++)
        {
            var deployment = await racetrack.Http.GetFromJsonAsync<JsonNode>($"api/v1/deploy/{id}");
            if (deployment!["phase"]?.GetValue<string>() == "initializing Job entrypoint")
            {
                using var ready = await racetrack.Http.GetAsync("pub/job/slow-start/1.0.0/ready");
                ready.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
                whileStarting = await ready.Content.ReadFromJsonAsync<JsonNode>();
            }
            else
            {
                await Task.Delay(50);
            }
        }

        var done = await racetrack.WaitForDeploymentAsync(id);
        using var readyAfter = await racetrack.Http.GetAsync("pub/job/slow-start/1.0.0/ready");

        whileStarting!.ToJsonString().Should().Be("""{"ready":false}""");
        done["status"]!.GetValue<string>().Should().Be("done");
        readyAfter.StatusCode.Should().Be(HttpStatusCode.OK);
        (await racetrack.Http.PostAsJsonAsync("pub/job/slow-start/1.0.0/api/v1/perform", new JsonObject())).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Perform_BeyondMaxConcurrencyAndItsQueue_Is429()
    {
        var manifest = RacetrackFixture.Manifest("one-at-a-time", "1.0.0", new JsonObject { ["max_concurrency"] = 1, ["max_concurrency_queue"] = "1" });
        var deployed = await racetrack.DeployAsync(manifest, new Dictionary<string, string>
        {
            ["entry.py"] = "import time\n\nclass Sleeper:\n    def perform(self, seconds: float):\n        time.sleep(seconds)\n        return seconds\n",
        });
        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());

        var calls = Enumerable.Range(0, 3).Select(_ => racetrack.Http.PostAsJsonAsync("pub/job/one-at-a-time/1.0.0/api/v1/perform", new JsonObject { ["seconds"] = 1.5 })).ToArray();
        var responses = await Task.WhenAll(calls);

        responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            "one call runs, one waits in the queue of 1, the third is refused");
        (await responses.Single(r => r.StatusCode == HttpStatusCode.TooManyRequests).Content.ReadAsStringAsync()).Should().Contain("too many requests waiting in a queue");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
