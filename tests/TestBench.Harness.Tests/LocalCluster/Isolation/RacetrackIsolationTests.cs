using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>
/// A Racetrack job probes its sandbox twice: at build time (the entrypoint module is imported to read its parameters) and
/// in a call; another job's folder and the server's data stay out of reach, and what a call forks dies with the call.
/// </summary>
public sealed class RacetrackIsolationTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    private const string Entry = """
        import json, os
        import isolation_probe

        if os.environ.get("PROBE_AT_BUILD"):
            with open("build-probe.json", "w") as seen:
                json.dump(isolation_probe.probe(json.loads(os.environ["PROBE_AT_BUILD"])), seen)

        class Prober:
            def perform(self, request):
                built = json.load(open("build-probe.json")) if os.path.exists("build-probe.json") else None
                return {"call": isolation_probe.probe(request), "build": built}
        """;

    [SkippableFact]
    public async Task JobAndItsBuild_FromInside_ShowNoPrivilegeAndNoOtherJob()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();
        var neighbour = await racetrack.DeployAsync(RacetrackFixture.Manifest("neighbour", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = "class Job:\n    def perform(self):\n        return 1\n" });
        neighbour["status"]!.GetValue<string>().Should().Be("done");
        var neighbourFolder = Path.Combine(racetrack.DataDirectory, "jobs", "neighbour", "1.0.0", "job");
        var serverFile = Path.Combine(racetrack.DataDirectory, "server-only.txt");
        await File.WriteAllTextAsync(serverFile, "the server's own data");
        var request = IsolationProbe.Checks(read: [neighbourFolder, Path.Combine(neighbourFolder, "entry.py"), serverFile], write: [neighbourFolder, racetrack.DataDirectory]);
        var manifest = RacetrackFixture.Manifest("prober", "1.0.0");
        manifest["build_env"] = new JsonObject { ["PROBE_AT_BUILD"] = request.ToJsonString() };

        var deployed = await racetrack.DeployAsync(manifest, new Dictionary<string, string> { ["entry.py"] = Entry, ["isolation_probe.py"] = IsolationProbe.Source });
        var answer = await PerformAsync("prober", request);

        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());
        IsolationProbe.ShouldShowNoPrivilege(answer["build"], "a Racetrack build");
        IsolationProbe.ShouldShowNoPrivilege(answer["call"], "a Racetrack job");
    }

    [SkippableFact]
    public async Task ACallThatForks200_IsStopped_AndItsProcessesEndWithTheCall()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();
        var marker = $"523.{Random.Shared.Next(100, 999)}";
        var deployed = await racetrack.DeployAsync(RacetrackFixture.Manifest("forker", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = Entry, ["isolation_probe.py"] = IsolationProbe.Source });
        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());

        var answer = await PerformAsync("forker", new JsonObject { ["op"] = "fork", ["marker"] = marker });
        var stillRunning = ProcessTable.AnyRunning("sleep", marker);
        var second = await PerformAsync("forker", new JsonObject { ["op"] = "memory" });

        answer["call"]!["stopped"]!.GetValue<string>().Should().Be("denied:EAGAIN", answer.ToJsonString());
        stillRunning.Should().BeFalse("the runner ends what a call started before it answers");
        second["call"]!["stopped"]!.GetValue<string>().Should().Be("MemoryError", "the job keeps working, bounded, after the fork call");
    }

    [SkippableFact]
    public async Task AProcessStartedAtLoad_Stays_AndOneACallStarted_EndsWithTheCall()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();
        var atLoad = $"634.{Random.Shared.Next(100, 999)}";
        var inCall = $"635.{Random.Shared.Next(100, 999)}";
        var helper = $$"""
            import subprocess

            class Job:
                def __init__(self):
                    self.helper = subprocess.Popen(["sleep", "{{atLoad}}"])

                def perform(self):
                    subprocess.Popen(["sleep", "{{inCall}}"])
                    return self.helper.poll() is None
            """;
        var deployed = await racetrack.DeployAsync(RacetrackFixture.Manifest("helper", "1.0.0"), new Dictionary<string, string> { ["entry.py"] = helper });
        deployed["status"]!.GetValue<string>().Should().Be("done", deployed.ToJsonString());

        using var first = await racetrack.Http.PostAsJsonAsync("pub/job/helper/1.0.0/api/v1/perform", new JsonObject());
        var callProcessLeft = ProcessTable.AnyRunning("sleep", inCall);
        using var second = await racetrack.Http.PostAsJsonAsync("pub/job/helper/1.0.0/api/v1/perform", new JsonObject());

        (await first.Content.ReadAsStringAsync()).Should().Be("true");
        callProcessLeft.Should().BeFalse("what a call started ends with the call");
        (await second.Content.ReadAsStringAsync()).Should().Be("true", "what load started is the job's own: it stays");
        ProcessTable.AnyRunning("sleep", atLoad).Should().BeTrue();
    }

    [SkippableFact]
    public async Task ABuildThatPointsItsInterpreterLinkAtTheServersData_GetsNothingShown()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();
        // A folder shaped like an installation (bin/python beside the secret) in the server's data.
        var planted = Path.Combine(racetrack.DataDirectory, "secrets");
        Directory.CreateDirectory(Path.Combine(planted, "bin"));
        await File.WriteAllTextAsync(Path.Combine(planted, "keys.txt"), "server-secret-5d1e");
        // A real interpreter there (a copy, so that the link chain ends in this folder, not in /usr).
        File.Copy(new FileInfo("/usr/bin/python3").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/bin/python3", Path.Combine(planted, "bin", "python"));
        const string hijacker = """
            import os, sys
            if os.environ.get("HIJACK_AT_BUILD"):
                link = os.path.join(sys.prefix, "bin", "python")
                os.remove(link)
                os.symlink(os.environ["HIJACK_AT_BUILD"], link)

            class Job:
                def perform(self, path):
                    try:
                        return open(path).read()
                    except OSError as e:
                        return "denied: " + type(e).__name__
            """;
        var manifest = RacetrackFixture.Manifest("hijacker", "1.0.0");
        manifest["build_env"] = new JsonObject { ["HIJACK_AT_BUILD"] = Path.Combine(planted, "bin", "python") };

        var deployed = await racetrack.DeployAsync(manifest, new Dictionary<string, string> { ["entry.py"] = hijacker });
        var answer = deployed["status"]!.GetValue<string>() == "done"
            ? (await racetrack.Http.PostAsJsonAsync("pub/job/hijacker/1.0.0/api/v1/perform", new JsonObject { ["path"] = Path.Combine(planted, "keys.txt") })).Content.ReadAsStringAsync()
            : Task.FromResult("not deployed: " + deployed["error"]);

        (await answer).Should().NotContain("server-secret-5d1e", "the server mounts the installation of the interpreter it was configured with, never where the build's link points");
    }

    private async Task<JsonNode> PerformAsync(string job, JsonObject request)
    {
        using var response = await racetrack.Http.PostAsJsonAsync($"pub/job/{job}/1.0.0/api/v1/perform", new JsonObject { ["request"] = request });
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonNode.Parse(text)!;
    }
}
