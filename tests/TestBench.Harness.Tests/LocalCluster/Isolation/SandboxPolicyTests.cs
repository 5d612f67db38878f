using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Processes;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>
/// The one sandbox policy, from inside, whoever runs the tests (root in CI, an ordinary user elsewhere): code as a tenant
/// would run it — the probe in a folder of its own beside another tenant's — through <see cref="Sandbox.Wrap"/>.
/// </summary>
public sealed class SandboxPolicyTests : IAsyncLifetime, IDisposable
{
    private const string Main = """
        import json, sys
        import isolation_probe
        print("TESTBENCH_RESULT " + json.dumps(isolation_probe.probe(json.loads(sys.argv[1]))), flush=True)
        """;

    private readonly string root = Directory.CreateTempSubdirectory("testbench-isolation-").FullName;
    private Sandbox? sandbox;
    private string? whyNot;

    private string Code => Path.Combine(root, "tenant-a");

    private string Neighbour => Path.Combine(root, "tenant-b");

    private string ServerData => Path.Combine(root, "server");

    public async Task InitializeAsync()
    {
        var choice = await Sandbox.DetectAsync(CancellationToken.None);
        (sandbox, whyNot) = (choice.Sandbox, choice.WhyNot);
        Directory.CreateDirectory(Code);
        File.WriteAllText(Path.Combine(Code, "isolation_probe.py"), IsolationProbe.Source);
        File.WriteAllText(Path.Combine(Code, "main.py"), Main);
        Directory.CreateDirectory(Neighbour);
        File.WriteAllText(Path.Combine(Neighbour, "model.bin"), "tenant b's model");
        Directory.CreateDirectory(ServerData);
        File.WriteAllText(Path.Combine(ServerData, "keys.json"), """{"admin": "secret"}""");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [SkippableFact]
    public async Task Checks_FromInside_ShowNoPrivilegeAndNoOtherTenant()
    {
        var (result, answer) = await ProbeAsync(IsolationProbe.Checks(
            read: [Path.Combine(Neighbour, "model.bin"), Neighbour, Path.Combine(ServerData, "keys.json"), "/root", "/etc/shadow", $"/proc/{Environment.ProcessId}/environ"],
            write: [Code, Neighbour, ServerData, "/usr/local"]));

        result.Succeeded.Should().BeTrue(result.Combined);
        IsolationProbe.ShouldShowNoPrivilege(answer, "a sandboxed command");
        answer!["uid"]!.GetValue<int>().Should().Be(sandbox!.Account.Uid);
    }

    [SkippableFact]
    public async Task Fork200_StopsAtTheProcessLimit_AndNothingOutlivesTheCommand()
    {
        var marker = $"412.{Random.Shared.Next(100, 999)}";

        var (result, answer) = await ProbeAsync(new JsonObject { ["op"] = "fork", ["marker"] = marker });

        answer!["forked"]!.GetValue<int>().Should().BeLessThan(SandboxLimits.Default.Processes, result.Combined);
        answer["stopped"]!.GetValue<string>().Should().Be("denied:EAGAIN");
        await Eventually.HoldsAsync(() => !ProcessTable.AnyRunning("sleep", marker), "the sandbox's PID namespace ends with its command");
    }

    [SkippableFact]
    public async Task Memory_ThreeBlocksOf1Point5GiB_TheSecondFails()
    {
        var (result, answer) = await ProbeAsync(new JsonObject { ["op"] = "memory" });

        answer!["stopped"]!.GetValue<string>().Should().Be("MemoryError", result.Combined);
        answer["allocated_gib"]!.GetValue<double>().Should().BeLessThanOrEqualTo(1.5, "each process may use 2 GiB of address space");
    }

    [SkippableFact]
    public async Task Disk_OneGiBIntoTmp_IsStoppedAtTheTempSize()
    {
        var (result, answer) = await ProbeAsync(new JsonObject { ["op"] = "disk" });

        answer!["stopped"]!.GetValue<string>().Should().BeOneOf(["denied:ENOSPC", "denied:EFBIG"], result.Combined);
        answer["written_mib"]!.GetValue<int>().Should().BeLessThanOrEqualTo((int)(SandboxLimits.Default.TempBytes / (1024 * 1024)));
    }

    [SkippableFact]
    public async Task Print200MiB_KeepsOnlyTheTail_AndCountsTheRest()
    {
        var (result, answer) = await ProbeAsync(new JsonObject { ["op"] = "print" });

        answer!["printed_mib"]!.GetValue<int>().Should().Be(200);
        result.Output.Length.Should().BeLessThanOrEqualTo(SandboxLimits.Default.OutputChars + 200, "the server keeps a bounded tail");
        result.Output.Should().StartWith("[… ").And.Contain("lines not kept");
    }

    private async Task<(CommandResult Result, JsonNode? Answer)> ProbeAsync(JsonObject request)
    {
        Skip.If(sandbox is null, $"no sandbox on this machine: {whyNot}");
        var python = AlgorithmWorkspace.Python;
        var command = sandbox!.Wrap(
            new CommandSpec { Program = python, Arguments = ["-u", "main.py", request.ToJsonString()], WorkingDirectory = Code, IsolateEnvironment = true, Timeout = TimeSpan.FromMinutes(2) },
            readOnly: [Code, .. Sandbox.InterpreterFolders(python)],
            writable: []);
        var result = await ExternalCommand.RunAsync(command, CancellationToken.None);
        var line = result.Output.Split('\n').LastOrDefault(l => l.StartsWith("TESTBENCH_RESULT ", StringComparison.Ordinal));
        return (result, line is null ? null : JsonNode.Parse(line["TESTBENCH_RESULT ".Length..]));
    }
}
