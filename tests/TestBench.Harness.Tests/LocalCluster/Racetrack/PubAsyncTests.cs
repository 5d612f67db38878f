using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Export;
using TestBench.Harness.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>Pub's async job calls as racetrack docs/user/async-job-calls.md and pub/async.go define them, and the harness's async calls on them.</summary>
public sealed class PubAsyncTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    private const string Entry = "import time\n\nclass Adder:\n    def perform(self, numbers: list, wait: float = 0):\n        time.sleep(wait)\n        if not numbers:\n            raise ValueError('no numbers')\n        return sum(numbers)\n";

    [Fact]
    public async Task NewTask_IsCreated_PollGivesTheJobsAnswerOnce_StatusSaysCompleted()
    {
        await DeployAsync("async-adder");

        using var created = await racetrack.Http.PostAsJsonAsync("pub/async/new/job/async-adder/latest/api/v1/perform", new JsonObject { ["numbers"] = new JsonArray(40, 2), ["wait"] = 0.5 });
        var task = await created.Content.ReadFromJsonAsync<JsonNode>();
        var id = task!["task_id"]!.GetValue<string>();
        var ongoing = await racetrack.Http.GetFromJsonAsync<JsonNode>($"pub/async/task/{id}/status");
        using var poll = await racetrack.Http.GetAsync($"pub/async/task/{id}/poll");
        var done = await racetrack.Http.GetFromJsonAsync<JsonNode>($"pub/async/task/{id}/status");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        task["status"]!.GetValue<string>().Should().Be("ongoing");
        ongoing!["status"]!.GetValue<string>().Should().Be("ongoing");
        poll.StatusCode.Should().Be(HttpStatusCode.OK, "the long poll waited for the job");
        (await poll.Content.ReadAsStringAsync()).Should().Be("42");
        done!.ToJsonString().Should().Be($$"""{"task_id":"{{id}}","status":"completed"}""");
    }

    [Fact]
    public async Task JobError_IsTheTasksAnswer_UnknownTaskAndJobAre404()
    {
        await DeployAsync("async-failing");

        using var created = await racetrack.Http.PostAsJsonAsync("pub/async/new/job/async-failing/1.0.0/api/v1/perform", new JsonObject { ["numbers"] = new JsonArray() });
        var id = (await created.Content.ReadFromJsonAsync<JsonNode>())!["task_id"]!.GetValue<string>();
        using var poll = await racetrack.Http.GetAsync($"pub/async/task/{id}/poll");
        using var unknownTask = await racetrack.Http.GetAsync("pub/async/task/no-such-task/poll");
        using var unknownJob = await racetrack.Http.PostAsJsonAsync("pub/async/new/job/never-deployed/latest/api/v1/perform", new JsonObject());
        using var anonymous = new HttpClient { BaseAddress = racetrack.Host.Address };
        using var unauthenticated = await anonymous.PostAsJsonAsync("pub/async/new/job/async-failing/1.0.0/api/v1/perform", new JsonObject());
        using var anonymousStatus = await anonymous.GetAsync($"pub/async/task/{id}/status");

        poll.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a job that answered is a completed task: its answer, status included");
        (await poll.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>().Should().Be("no numbers");
        unknownTask.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknownTask.Content.ReadFromJsonAsync<JsonNode>())!.AsObject().Select(p => p.Key).Should().Equal("error", "requestId");
        unknownJob.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unauthenticated.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "starting a task needs a token that may call the job");
        anonymousStatus.StatusCode.Should().Be(HttpStatusCode.OK, "Pub checks no token on a task's status or poll (pub/async.go); the job runner polls without one");
    }

    [Fact]
    public async Task HarnessAsyncCalls_MeasureSubmissionToResult()
    {
        await DeployAsync("async-harness");
        using var calls = new RacetrackBenchmarkCalls(racetrack.Host.PubAddress, racetrack.Host.AuthToken);
        var entrypoint = new ExportedAlgorithm { TemplateName = "async-harness", ExportedName = "async-harness", Owner = "", Version = "1.0.0", EnvironmentId = "", Location = "", CreatedByThisRun = true, TakesKeywordArguments = true };

        var answer = await calls.PrepareAsynchronous(entrypoint, new JsonObject { ["numbers"] = new JsonArray(1, 2), ["wait"] = 0.3 }, 30)(CancellationToken.None);

        calls.AsyncCallsUnsupported.Should().BeNull();
        answer.Succeeded.Should().BeTrue(answer.ErrorMessage);
        answer.Body!["result"]!.GetValue<int>().Should().Be(3);
        answer.WallSeconds.Should().BeGreaterThan(0.29);
    }

    private async Task DeployAsync(string name) =>
        (await racetrack.DeployAsync(RacetrackFixture.Manifest(name, "1.0.0"), new Dictionary<string, string> { ["entry.py"] = Entry }))["status"]!
            .GetValue<string>().Should().Be("done");
}
