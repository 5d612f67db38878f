using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task RunTrialAsync_RepeatConcurrency_CountsEveryCallAndCapsParallelism()
    {
        var calls = 0;
        var inFlight = 0;
        var peak = 0;

        var result = await LoadRunner.RunTrialAsync(async _ =>
        {
            Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return Response(0.01, ok: true);
        }, repeat: 50, concurrency: 4, CancellationToken.None);

        calls.Should().Be(50);
        result.Calls.Should().Be(50);
        result.Errors.Should().Be(0);
        peak.Should().BeLessThanOrEqualTo(4);
        result.Latencies.Should().AllBeEquivalentTo(0.01);
        result.Throughput.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task RunTrialAsync_Enough_StartsNoCallOnceItSaysSoAndKeepsTheCallsMade()
    {
        var calls = 0;

        var result = await LoadRunner.RunTrialAsync(async _ =>
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            return Response(0.01, ok: true);
        }, repeat: 200, concurrency: 4, CancellationToken.None, enough: started => started >= 10);

        calls.Should().Be(10, "the callers ask before each call, and every one asked after the tenth hears enough");
        result.Calls.Should().Be(10);
        result.Errors.Should().Be(0);
    }

    [Fact]
    public async Task WarmUpAsync_Concurrency_UsesAsManyCallersAsTheLoad()
    {
        var warmupCalls = 4;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;

        // The first two warm-up calls only finish once both are in flight: one caller at a time would never get there.
        var run = LoadRunner.WarmUpAsync(async _ =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                bothArrived.SetResult();
            }

            if (Volatile.Read(ref warmupCalls) > 0)
            {
                await bothArrived.Task;
                Interlocked.Decrement(ref warmupCalls);
            }

            return Response(0.01, ok: true);
        }, count: 4, concurrency: 2, CancellationToken.None);

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        finished.Should().BeSameAs(run, "two warm-up callers were in flight together, as the measured load will be");
        arrived.Should().Be(4);
    }

    [Fact]
    public async Task RunTrialAsync_SomeCallsFail_CountsErrorsAndKeepsTheFirstMessage()
    {
        var index = 0;

        var result = await LoadRunner.RunTrialAsync(_ =>
        {
            var i = Interlocked.Increment(ref index);
            return Task.FromResult(i % 5 == 0 ? Response(0.02, ok: false) : Response(0.01, ok: true));
        }, repeat: 20, concurrency: 1, CancellationToken.None);

        result.Errors.Should().Be(4);
        result.FirstError.Should().Be("boom");
        result.Latencies.Max().Should().Be(0.02);
    }

    private static CallResponse Response(double seconds, bool ok) =>
        new(200, ok ? """{"result":1,"metadata":{"duration":0.001,"content_type":"json"}}"""u8.ToArray() : """{"error":{"message":"boom"}}"""u8.ToArray(), seconds);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
