using System.Text;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Measuring;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class OpenLoadRunnerTests
{
    [Fact]
    public async Task RunAsync_SlowAnswers_KeepsStartingCallsOnSchedule()
    {
        var inFlight = 0;
        var peak = 0;

        var trial = await OpenLoadRunner.RunAsync(async token =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(300, token);
            Interlocked.Decrement(ref inFlight);
            return Ok();
        }, new OpenLoad { Stages = [new LoadStage(40, 1)] }, CancellationToken.None);

        trial.Records.Should().HaveCount(40);
        trial.Failures.Should().Be(0);
        trial.GeneratorStalled.Should().BeFalse();
        peak.Should().BeGreaterThanOrEqualTo(5, "calls due every 25 ms do not wait for 300 ms answers");
        trial.Latencies.Should().AllSatisfy(l => l.Should().BeGreaterThanOrEqualTo(0.29, "each answer came 300 ms (by a coarse timer) after its call was due"));
    }

    [Fact]
    public async Task RunAsync_ServerStalls_ChargesEveryWaitingCallFromItsDueTime()
    {
        // Calls made in the first 400 ms wait until the stall ends; the rest answer at once.
        var stallEnds = Task.Delay(400);

        var trial = await OpenLoadRunner.RunAsync(async _ =>
        {
            if (!stallEnds.IsCompleted)
            {
                await stallEnds;
            }

            return Ok();
        }, new OpenLoad { Stages = [new LoadStage(50, 1)] }, CancellationToken.None);

        var latencies = trial.Latencies.Order().ToArray();
        latencies.Should().HaveCount(50);
        latencies.Count(l => l >= 0.1).Should().BeGreaterThanOrEqualTo(12, "about 15 calls were due during the first 300 ms of the stall");
        latencies[^1].Should().BeGreaterThanOrEqualTo(0.3, "the first call waited the whole stall from its due time");
    }

    [Fact]
    public async Task RunAsync_CapOfCallsInFlight_DropsTheCallsBeyondIt()
    {
        var release = new TaskCompletionSource<CallResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = new OpenLoad { Stages = [new LoadStage(100, 0.2)], MaxInFlight = 2 };

        var run = OpenLoadRunner.RunAsync(_ => release.Task, load, CancellationToken.None);
        await Task.Delay(400);
        release.SetResult(Ok());
        var trial = await run;

        trial.Records.Should().HaveCount(20);
        trial.Calls.Should().Be(2);
        trial.Dropped.Should().Be(18);
        trial.FirstError.Should().Be("2 calls were in flight (max_in_flight); calls dropped");
    }

    [Fact]
    public async Task RunAsync_GeneratorStalled_DropsTheLateCallsInsteadOfBurstingAndReportsTheLag()
    {
        var first = 1;

        // The first call holds the schedule's thread for 300 ms, as a frozen machine would.
        var trial = await OpenLoadRunner.RunAsync(_ =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
            {
                Thread.Sleep(300);
            }

            return Task.FromResult(Ok());
        }, new OpenLoad { Stages = [new LoadStage(100, 1)] }, CancellationToken.None);

        trial.GeneratorLagSeconds.Should().BeGreaterThanOrEqualTo(0.2);
        trial.GeneratorStalled.Should().BeTrue();
        trial.Dropped.Should().BeInRange(15, 30, "the calls due more than 50 ms before the thread came back");
        trial.FirstError.Should().Be("the generator fell more than 50 ms behind its schedule (this machine stalled it); calls dropped");
        trial.Records.Should().HaveCount(100);
    }

    [Fact]
    public async Task RunAsync_TooManyRequests_CountsThrottledApartFromErrors()
    {
        var index = 0;

        var trial = await OpenLoadRunner.RunAsync(_ => Task.FromResult(Interlocked.Increment(ref index) % 2 == 0
            ? new CallResponse(429, """{"error":{"message":"queue full"}}"""u8.ToArray(), 0.001)
            : index % 5 == 0 ? new CallResponse(500, Encoding.UTF8.GetBytes("{}"), 0.001) : Ok()),
            new OpenLoad { Stages = [new LoadStage(200, 0.1)] }, CancellationToken.None);

        (trial.Calls, trial.Throttled, trial.Errors, trial.Dropped).Should().Be((20, 10, 2, 0));
        trial.FirstError.Should().NotBeNull();
    }

    private static CallResponse Ok() => new(200, """{"result":1,"metadata":{"duration":0.001}}"""u8.ToArray(), 0.001);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
