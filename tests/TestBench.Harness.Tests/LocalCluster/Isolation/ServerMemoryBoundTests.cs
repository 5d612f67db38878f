using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Racetrack;
using TestBench.Harness.Tests.LocalCluster.Wallaroo;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Racetrack;
using Xunit;
using Xunit.Abstractions;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>
/// Code that prints 200 MiB — in lines and as one line — costs the server (a process of its own, measured from outside
/// by its peak resident memory) at most <see cref="PeakBoundMiB"/>, and its logs keep a bounded tail.
/// </summary>
public sealed class ServerMemoryBoundTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The stated bound of a server's peak resident memory (README, Security and limits).</summary>
    private const int PeakBoundMiB = 400;

    // 200 MiB in 1 MiB lines, then 200 MiB as a single line.
    private const string Flood = """
        import sys
        line = "y" * (1024 * 1024 - 1) + "\n"
        for _ in range(200):
            sys.stdout.write(line)
        sys.stdout.write("z" * (200 * 1024 * 1024))
        sys.stdout.write("\nTESTBENCH_RESULT done\n")
        sys.stdout.flush()
        """;

    private readonly string root = Directory.CreateTempSubdirectory("testbench-memory-bound-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task WallarooRunPrinting400MiB_LeavesABoundedLog_AndTheServerUnderTheBound()
    {
        await using var server = await TokenServerProcess.StartWallarooAsync(Path.Combine(root, "wallaroo"), TimeSpan.FromSeconds(2), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        var api = new WallarooTestApi(http);

        var orchestration = await api.UploadReadyAsync(WallarooApiTests.Zip(("main.py", Flood)), "flood");
        var task = await api.PostAsync("task/run_once", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject() });
        var run = await api.WaitForRunAsync(task["id"]!.ToString(), "success");
        var logs = (await api.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() }))["logs"]!.AsArray().Select(l => l!.ToString()).ToList();
        var peak = PeakResidentMiB(server.ProcessId);
        output.WriteLine($"Wallaroo server peak resident memory: {peak} MiB; log {logs.Sum(l => l.Length)} characters");

        logs.Sum(l => (long)l.Length).Should().BeLessThan(2L * 1024 * 1024);
        logs[0].Should().Contain("lines not kept");
        logs[^1].Should().EndWith("TESTBENCH_RESULT done");
        peak.Should().BeLessThan(PeakBoundMiB);
    }

    [Fact]
    public async Task RacetrackBuildPrinting400MiB_LeavesABoundedBuildLog_AndTheServerUnderTheBound()
    {
        await using var server = await TokenServerProcess.StartRacetrackAsync(Path.Combine(root, "racetrack"), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Add(RacetrackAuth.Header, server.Token);
        // The entrypoint module is imported at build time (to read its parameters): its prints are the build's output.
        var files = new Dictionary<string, string> { ["entry.py"] = Flood + "\nclass Job:\n    def perform(self):\n        return 1\n" };

        using var posted = await http.PostAsJsonAsync("api/v1/deploy", new JsonObject
        {
            ["manifest"] = RacetrackFixture.Manifest("flood", "1.0.0"),
            ["build_context"] = Convert.ToBase64String(RacetrackFixture.TarGz(files)),
        });
        var id = (await posted.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        for (var attempt = 0; attempt < 1200 && (await http.GetFromJsonAsync<JsonNode>($"api/v1/deploy/{id}"))!["status"]!.GetValue<string>() == "in_progress"; attempt++)
        {
            await Task.Delay(100);
        }

        var buildLog = await http.GetStringAsync("api/v1/job/flood/1.0.0/build-logs/plain");
        var peak = PeakResidentMiB(server.ProcessId);
        output.WriteLine($"Racetrack server peak resident memory: {peak} MiB; build log {buildLog.Length} characters");

        buildLog.Length.Should().BeLessThan(8 * 1024 * 1024, "each build step keeps the last 1 MiB of its output");
        buildLog.Should().Contain("lines not kept");
        peak.Should().BeLessThan(PeakBoundMiB);
    }

    private static int PeakResidentMiB(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
