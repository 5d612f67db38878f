using FluentAssertions;
using TestBench.Harness.Approvals;
using TestBench.Harness.Benchmark;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Ratchet;

/// <summary>
/// The ratchet against real embedded clusters: one destination made artificially slower
/// (<see cref="TestBench.LocalCluster.Runtime.RuntimeOptions.CallDelay"/>), one at full speed, the same workflow test and
/// one set of bar files, run through the same <see cref="TestBenchmark"/> the benchmark cases use.
/// </summary>
public sealed class RatchetEndToEndTests : IAsyncLifetime
{
    private const string Workflow = """
        { "test_info": { "entrypoint": "Echo", "tests": [ { "name": "steady calls", "payload": "ping", "timeout": 30, "repeat": 20, "warmup": 2 } ] },
          "algorithms": [ { "name": "Echo", "language": "python3", "test_payload": "x" } ] }
        """;

    private readonly ExportScenario slow = new() { CallDelay = TimeSpan.FromMilliseconds(60) };
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
    public async Task Ratchet_SlowThenFastThenSlowCluster_RecordsRaisesThenFailsTheBar()
    {
        var verified = BarFile.VerifiedPath(bars.WorkflowsDirectory, "echo");
        var received = BarFile.ReceivedPath(bars.WorkflowsDirectory, "echo");

        var first = await RunAsync(slow);
        first.Ratchet!.Verdict.Should().Be(RatchetVerdict.FirstBar);
        first.RatchetNote.Should().Contain("first bar recorded").And.Contain("mv workflows/echo.ratchet.received.json workflows/echo.ratchet.json");
        File.Exists(verified).Should().BeFalse("a first bar is only proposed");
        File.Move(received, verified);
        var slowBar = BarFile.Read(verified)["steady calls"];
        slowBar.P50Ms.Should().BeGreaterThanOrEqualTo(60, "every call waited for the artificial delay");

        var faster = await RunAsync(fast);
        faster.Ratchet!.Verdict.Should().Be(RatchetVerdict.Raised, string.Join("; ", faster.Ratchet.Reasons));
        faster.Measurement.Verdict.Should().Be(RatchetVerdict.Raised);
        BarFile.Read(verified)["steady calls"].Should().Be(slowBar, "the verified bar changes only when someone accepts");
        var raisedBar = BarFile.Read(received)["steady calls"];
        raisedBar.P50Ms.Should().BeLessThan(slowBar.P50Ms * 0.7);
        raisedBar.P95Ms.Should().BeLessThan(slowBar.P95Ms!.Value * 0.6);
        raisedBar.ThroughputFloor.Should().BeGreaterThan(slowBar.ThroughputFloor!.Value * 1.4);
        File.Move(received, verified, overwrite: true);

        var slower = await RunAsync(slow);
        slower.Ratchet!.Verdict.Should().Be(RatchetVerdict.Failed);
        // The median is the robust signal here; the tail and throughput of 20 calls also move with whatever else the machine runs.
        slower.Ratchet.Reasons.Should().Contain(r => r.StartsWith("p50 ", StringComparison.Ordinal) && r.Contains("is over the bar", StringComparison.Ordinal));
        File.Exists(received).Should().BeFalse("a failing run proposes nothing");
        BarFile.Read(verified)["steady calls"].Should().Be(raisedBar, "a bar never loosens by itself");
    }

    /// <summary>Exports the workflow into the scenario's destination and benchmarks its test against the shared bars.</summary>
    private async Task<BenchmarkOutcome> RunAsync(ExportScenario scenario)
    {
        scenario.Repository.WithTemplate("Echo");
        var workflow = scenario.Workflow("echo", Workflow);
        var exported = await scenario.Export(workflow).ExportAsync("Echo", new ListLogger(), CancellationToken.None);
        var benchmark = new TestBenchmark(scenario.Target.Destination, scenario.Target.Redactor, new Approver(scenario.Repository.Root));
        var book = new RatchetBook(bars.WorkflowsDirectory, "echo", new RatchetPolicy());

        var outcome = await benchmark.RunAsync("echo", workflow.TestInfo!.Tests[0], exported, book, CancellationToken.None);

        outcome.Measurement.Succeeded.Should().BeTrue(outcome.Measurement.Load.FirstError);
        outcome.Measurement.Load.Calls.Should().Be(20);
        return outcome;
    }
}
