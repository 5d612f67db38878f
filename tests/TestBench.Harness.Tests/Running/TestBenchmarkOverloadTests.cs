using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Judging.Approvals;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Running;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Running;

/// <summary>The decision logic around failed and regressed trials: throttled trials run again (bounded), then a failure —
/// or, on a machine the noise guard finds disturbed, inconclusive; a regression stands only when a second measurement
/// confirms it. The call path answers without a server: only the decision is under test here.</summary>
public sealed class TestBenchmarkOverloadTests : IDisposable
{
    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Commit = "overload", Machine = MachineFingerprint.Current };
    private static readonly WorkflowTest Test = new() { Name = "t", Payload = JsonDocument.Parse("1").RootElement, Repeat = 5, Trials = 2 };
    private static readonly ExportedAlgorithm Entrypoint = new()
    {
        TemplateName = "Echo", ExportedName = "Echo_x", Owner = "testbench", Version = "abc", EnvironmentId = "python3", Location = "testbench/Echo_x/abc", CreatedByThisRun = true,
    };

    private readonly TempRepository repository = new();

    public TestBenchmarkOverloadTests() => Directory.CreateDirectory(repository.WorkflowsDirectory);

    public void Dispose() => repository.Dispose();

    [Fact]
    public async Task ThrottledTrials_OnAQuietMachine_AreRunAgainTwice_ThenFail()
    {
        var calls = new Answering(429);

        var outcome = await RunAsync(calls, Book(baselineCpuMs: null));

        calls.Count.Should().Be(15, "the first trial and its two repeats, 5 calls each");
        outcome.Ratchet.Should().BeNull("throttling that persists on a machine not found disturbed fails the test");
        outcome.Measurement.Succeeded.Should().BeFalse();
        outcome.Measurement.Caveats.Should().HaveCount(2).And.AllSatisfy(c => c.Should().EndWith("5 calls throttled (429) and 0 dropped in it, no errors"));
    }

    [Fact]
    public async Task ThrottledTrials_OnADisturbedMachine_AreInconclusiveAndProposeNoBar()
    {
        var outcome = await RunAsync(new Answering(429), Book(baselineCpuMs: 1e-6));

        outcome.Ratchet!.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        outcome.Ratchet.NoiseGuarded.Should().BeTrue();
        outcome.Ratchet.Proposed.Should().BeNull();
        outcome.Ratchet.Reasons.Single().Should().StartWith("5 calls throttled (429) and 0 dropped of 5 while the machine was noisy (calibration ").And.EndWith("(RatchetStrictness=strict fails it)");
    }

    [Fact]
    public async Task ThrottledTrials_OnADisturbedMachine_InStrictMode_Fail()
    {
        var outcome = await RunAsync(new Answering(429), Book(baselineCpuMs: 1e-6, strict: true));

        outcome.Ratchet.Should().BeNull();
    }

    [Fact]
    public async Task Errors_AreNeitherRunAgainNorExcused_EvenOnADisturbedMachine()
    {
        var calls = new Answering(500);

        var outcome = await RunAsync(calls, Book(baselineCpuMs: 1e-6));

        calls.Count.Should().Be(5);
        outcome.Ratchet.Should().BeNull();
        outcome.Measurement.Caveats.Should().BeEmpty();
    }

    [Fact]
    public async Task Regression_NotSeenAgainInASecondMeasurement_IsInconclusive_AndOneSeenAgainStands()
    {
        var policy = new VerdictPolicy { MaxCalibrationSlowdown = double.MaxValue }; // the noise guard has tests of its own
        var first = await RunAsync(new Timed(_ => 0.001), Book(null, policy: policy));
        File.Move(Path.Combine(repository.WorkflowsDirectory, "w.ratchet.received.json"), Path.Combine(repository.WorkflowsDirectory, "w.ratchet.json"), overwrite: true);

        var transient = await RunAsync(new Timed(call => call < 10 ? 0.004 : 0.001), new RatchetBook(repository.WorkflowsDirectory, "w", new RatchetJudge(policy, new CeilingPolicy()), Run));
        var lasting = await RunAsync(new Timed(_ => 0.004), new RatchetBook(repository.WorkflowsDirectory, "w", new RatchetJudge(policy, new CeilingPolicy()), Run));

        first.Ratchet!.Verdict.Should().Be(RatchetVerdict.FirstBar);
        transient.Ratchet!.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        transient.Ratchet.Proposed.Should().BeNull();
        transient.Ratchet.Reasons.Single().Should().StartWith("a regression was not confirmed by a second measurement: the first measured latency p50 +");
        transient.Measurement.Load.Calls.Should().Be(10, "the measurement reported is the second one");
        lasting.Ratchet!.Verdict.Should().Be(RatchetVerdict.Regressed);
        lasting.Ratchet.Reasons[^1].Should().StartWith("confirmed by a second measurement (the first: latency p50 +");
    }

    private RatchetBook Book(double? baselineCpuMs, bool strict = false, VerdictPolicy? policy = null)
    {
        var baseline = baselineCpuMs is { } cpu ? new CalibrationSample { CpuMs = [cpu, cpu, cpu], MeasuredAt = DateTimeOffset.UnixEpoch, Machine = MachineFingerprint.Current } : null;
        BarFile.Write(Path.Combine(repository.WorkflowsDirectory, "w.ratchet.json"), BarDocument.Empty with { Calibration = baseline });
        return new RatchetBook(repository.WorkflowsDirectory, "w", new RatchetJudge(policy ?? new VerdictPolicy { Strict = strict }, new CeilingPolicy()), Run);
    }

    private Task<BenchmarkOutcome> RunAsync(IBenchmarkCalls calls, RatchetBook book) =>
        new TestBenchmark(calls, new SecretRedactor([]), new Approver(repository.WorkflowsDirectory), TimeSpan.FromSeconds(30)).RunAsync("w", Test, Entrypoint, book, CancellationToken.None);

    /// <summary>Every call succeeds after the wall seconds <c>latency</c> gives for its index (a little jitter added, so
    /// samples have no ties).</summary>
    private sealed class Timed(Func<int, double> latency) : IBenchmarkCalls
    {
        private int count;

        public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds) => _ =>
        {
            var call = Interlocked.Increment(ref count) - 1;
            return Task.FromResult(new CallResponse(200, Encoding.UTF8.GetBytes("""{"result":1}"""), latency(call) * (1 + (call % 7) * 0.01)));
        };
    }

    /// <summary>Every call answers <c>status</c> with an error body in the platform's shape.</summary>
    private sealed class Answering(int status) : IBenchmarkCalls
    {
        private int count;

        public int Count => count;

        public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds) => _ =>
        {
            Interlocked.Increment(ref count);
            return Task.FromResult(new CallResponse(status, Encoding.UTF8.GetBytes("""{"error":{"message":"busy"}}"""), 0.001));
        };
    }
}
