using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.LocalCluster.Wallaroo;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>A Wallaroo orchestration run probes its sandbox; a run that prints 200 MiB leaves a bounded log.</summary>
public sealed class WallarooIsolationTests(WallarooApiTests.Service service) : IClassFixture<WallarooApiTests.Service>
{
    private const string Main = """
        import json, wallaroo
        import isolation_probe
        print("TESTBENCH_RESULT " + json.dumps(isolation_probe.probe(wallaroo.task_args())), flush=True)
        """;

    [SkippableFact]
    public async Task Run_FromInside_ShowsNoPrivilegeAndNoServerData()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();
        var serverFile = Path.Combine(service.DataDirectory, "server-only.txt");
        await File.WriteAllTextAsync(serverFile, "the server's own data");
        var request = IsolationProbe.Checks(read: [serverFile], write: [service.DataDirectory]);

        var logs = await RunAsync("prober", request, "success");
        var line = logs.Last(l => l.Contains(" stdout F TESTBENCH_RESULT ", StringComparison.Ordinal));

        IsolationProbe.ShouldShowNoPrivilege(JsonNode.Parse(line[(line.IndexOf("TESTBENCH_RESULT ", StringComparison.Ordinal) + 17)..]), "a Wallaroo run");
    }

    [Fact]
    public async Task Run_ReceivesNoCredential_ItsEnvironmentHoldsNoToken()
    {
        var orchestration = await service.UploadReadyAsync(WallarooApiTests.Zip(("main.py", "import json, os\nprint('TESTBENCH_RESULT ' + json.dumps(dict(os.environ)))\n")), "environment");
        var task = await service.PostAsync("task/run_once", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject() });
        var run = await service.WaitForRunAsync(task["id"]!.ToString(), "success");
        var logs = string.Join('\n', (await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() }))["logs"]!.AsArray().Select(l => l!.ToString()));

        logs.Should().Contain("TESTBENCH_RESULT").And.NotContain(service.Host.Token, "a run gets no token: wallaroo.Client() inside a task is not emulated");
        logs.Should().NotContainAny(["WALLAROO_TOKEN", "WALLAROO_SDK_CREDENTIALS", "Bearer"]);
    }

    [SkippableFact]
    public async Task Run_Printing200MiB_KeepsABoundedTail_ThatSaysWhatWasNotKept()
    {
        await IsolationProbe.SkipWithoutSandboxAsync();

        var logs = await RunAsync("printer", new JsonObject { ["op"] = "print" }, "success");

        logs.Sum(l => (long)l.Length).Should().BeLessThan(2L * SandboxLimits.Default.OutputChars, "the run's log keeps a tail of 1 MiB (timestamps added)");
        logs[0].Should().Contain("lines not kept");
        logs[^1].Should().Contain("TESTBENCH_RESULT {\"printed_mib\": 200}", "the tail holds the end of the output");
    }

    private async Task<IReadOnlyList<string>> RunAsync(string name, JsonObject arguments, string status)
    {
        var orchestration = await service.UploadReadyAsync(WallarooApiTests.Zip(("main.py", Main), ("isolation_probe.py", IsolationProbe.Source)), name);
        var task = await service.PostAsync("task/run_once", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = arguments });
        var run = await service.WaitForRunAsync(task["id"]!.ToString(), status);
        var logs = await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() });
        return [.. logs["logs"]!.AsArray().Select(l => l!.ToString())];
    }
}
