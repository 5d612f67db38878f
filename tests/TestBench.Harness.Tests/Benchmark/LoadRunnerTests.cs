using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Benchmark;
using Xunit;

namespace TestBench.Harness.Tests.Benchmark;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task RunAsync_RepeatWarmupConcurrency_CountOnlyMeasuredCallsAndCapParallelism()
    {
        var calls = 0;
        var inFlight = 0;
        var peak = 0;

        var result = await LoadRunner.RunAsync(async _ =>
        {
            Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return Response(0.01, ok: true);
        }, repeat: 50, concurrency: 4, warmup: 3, CancellationToken.None);

        calls.Should().Be(53);
        result.Calls.Should().Be(50);
        result.Errors.Should().Be(0);
        peak.Should().BeLessThanOrEqualTo(4);
        result.P50.Should().BeApproximately(0.01, 0.0001);
        result.SuccessRate.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_Warmup_UsesAsManyCallersAsTheLoad()
    {
        var warmupCalls = 4;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;

        // The first two warm-up calls only finish once both are in flight: one caller at a time would never get there.
        var run = LoadRunner.RunAsync(async _ =>
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
        }, repeat: 10, concurrency: 2, warmup: 4, CancellationToken.None);

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        finished.Should().BeSameAs(run, "two warm-up callers were in flight together, as the measured load will be");
        (await run).Calls.Should().Be(10);
    }

    [Fact]
    public async Task RunAsync_SomeCallsFail_CountsErrorsAndKeepsTheFirstMessage()
    {
        var index = 0;

        var result = await LoadRunner.RunAsync(_ =>
        {
            var i = Interlocked.Increment(ref index);
            return Task.FromResult(i % 5 == 0 ? Response(0.02, ok: false) : Response(0.01, ok: true));
        }, repeat: 20, concurrency: 1, warmup: 0, CancellationToken.None);

        result.Errors.Should().Be(4);
        result.SuccessRate.Should().Be(0.8);
        result.FirstError.Should().Be("boom");
        result.Max.Should().Be(0.02);
    }

    private static CallResponse Response(double seconds, bool ok) => new()
    {
        Status = 200,
        Body = ok ? JsonNode.Parse("""{"result":1,"metadata":{"duration":0.001,"content_type":"json"}}""") : JsonNode.Parse("""{"error":{"message":"boom"}}"""),
        WallSeconds = seconds,
        ResponseBytes = 10,
    };

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
