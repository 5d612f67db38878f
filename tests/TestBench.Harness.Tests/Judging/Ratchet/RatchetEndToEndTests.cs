using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Judging;
using TestBench.Harness.Judging.Approvals;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Running;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

/// <summary>
/// The ratchet against real embedded clusters: one destination slowed by a factor
/// (<see cref="TestBench.LocalCluster.Runtime.RuntimeOptions.Slowdown"/>), one at full speed, the same workflow test and
/// one set of bar files, run through the same <see cref="TestBenchmark"/> the benchmark cases use.
/// </summary>
public sealed class RatchetEndToEndTests : IAsyncLifetime
{
    private const string Workflow = """
        { "test_info": { "entrypoint": "Echo", "tests": [ { "name": "steady calls", "payload": "ping", "timeout": 30, "repeat": 10, "warmup": 2, "trials": 8 } ] },
          "algorithms": [ { "name": "Echo", "language": "python3", "test_payload": "x" } ] }
        """;

    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Commit = "e2e", Machine = MachineFingerprint.Current };
    // The factor stretches the whole server-side call, the 5 ms delay included: about 20 ms against well under 1 ms.
    private readonly ExportScenario slow = new() { Slowdown = 4, CallDelay = TimeSpan.FromMilliseconds(5) };
    private readonly ExportScenario fast = new();
    private readonly TempRepository bars = new();

    public async Task InitializeAsync()
    {
        await Task.WhenAll(slow.InitializeAsync(), fast.InitializeAsync());
        Directory.CreateDirectory(bars.WorkflowsDirectory);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(slow.DisposeAsync(), fast.DisposeAsync());
        bars.Dispose();
    }

    [Fact]
    public async Task Ratchet_SlowThenFastThenSlowCluster_RecordsRaisesThenRegresses()
    {
        var (verified, received) = ApprovalFiles.Bars(bars.WorkflowsDirectory, "echo");

        var first = await RunAsync(slow);
        first.Ratchet!.Verdict.Should().Be(RatchetVerdict.FirstBar);
        first.RatchetNote.Should().Contain("first bar recorded").And.Contain("mv workflows/echo.ratchet.received.json workflows/echo.ratchet.json");
        File.Exists(verified).Should().BeFalse("a first bar is only proposed");
        File.Move(received, verified);
        var slowBar = BarFile.Read(verified).Tests["steady calls"];
        // Trials of 10 calls judge latency only (throughput needs 20 a trial), so the other test classes running
        // beside this one cannot leave a throughput comparison undecided.
        slowBar.Reference!.LatencyMs.Should().HaveCount(80, "8 trials of 10 calls");
        slowBar.Reference.Throughput.Should().BeNull();
        NoiseGuard.Median(slowBar.Reference.LatencyMs).Should().BeGreaterThan(15, "4 × (5 ms delay + the call)");

        var faster = await RunAsync(fast);
        faster.Ratchet!.Verdict.Should().Be(RatchetVerdict.Improved, string.Join("; ", faster.Ratchet.Reasons));
        faster.Measurement.Judgement!.Reasons.Should().Contain(r => r.StartsWith("latency p50 −", StringComparison.Ordinal));
        BarFile.Read(verified).Tests["steady calls"].Should().BeEquivalentTo(slowBar, "the verified bar changes only when someone accepts");
        var raisedBar = BarFile.Read(received).Tests["steady calls"];
        NoiseGuard.Median(raisedBar.Reference!.LatencyMs).Should().BeLessThan(NoiseGuard.Median(slowBar.Reference.LatencyMs) * 0.6);
        raisedBar.P50Ms.Should().BeLessThan(slowBar.P50Ms);
        File.Move(received, verified, overwrite: true);

        var slower = await RunAsync(slow);
        slower.Ratchet!.Verdict.Should().Be(RatchetVerdict.Regressed, string.Join("; ", slower.Ratchet.Reasons));
        slower.Ratchet.Reasons.Should().Contain(r => r.StartsWith("latency p50 +", StringComparison.Ordinal) && r.Contains("beyond the practical threshold of 10 % and 0.1 ms", StringComparison.Ordinal));
        File.Exists(received).Should().BeFalse("a regressed run proposes nothing");
        BarFile.Read(verified).Tests["steady calls"].Should().BeEquivalentTo(raisedBar, "a bar never loosens by itself");
    }

    /// <summary>Exports the workflow into the scenario's destination and benchmarks its test against the shared bars.</summary>
    private async Task<BenchmarkOutcome> RunAsync(ExportScenario scenario)
    {
        scenario.Repository.WithTemplate("Echo");
        var workflow = scenario.Workflow("echo", Workflow);
        var exported = await scenario.Export(workflow).ExportAsync("Echo", new ListLogger(), CancellationToken.None);
        var benchmark = new TestBenchmark(new AlgorithmiaBenchmarkCalls(scenario.Target.Destination.Calls), scenario.Target.Redactor, new Approver(Path.Combine(scenario.Repository.Root, "workflows")), TimeSpan.FromSeconds(30));
        // The noise guard has tests of its own; here the other test classes running beside this one must not turn the raise off.
        var policy = new VerdictPolicy { MaxCalibrationSlowdown = double.MaxValue };
        var book = new RatchetBook(bars.WorkflowsDirectory, "echo", new RatchetJudge(policy, new CeilingPolicy()), Run);

        var outcome = await benchmark.RunAsync("echo", workflow.TestInfo!.Tests[0], exported, book, CancellationToken.None);

        outcome.Measurement.Succeeded.Should().BeTrue(outcome.Measurement.Load.FirstError);
        outcome.Measurement.Load.Calls.Should().Be(80);
        outcome.Measurement.Load.Trials.Should().Be(8);
        return outcome;
    }
}
