using FluentAssertions;
using TestBench.Harness.Running;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class OncePerKeyTests
{
    [Fact]
    public async Task GetAsync_ManyConcurrentCallers_InitialisesOncePerKey()
    {
        var calls = 0;
        var gate = new TaskCompletionSource();
        using var sut = new OncePerKey<string, int>(async (key, _) =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return key.Length;
        });

        var waiting = Enumerable.Range(0, 20).Select(i => sut.GetAsync(i % 2 == 0 ? "ab" : "abc", CancellationToken.None)).ToArray();
        gate.SetResult();
        var values = await Task.WhenAll(waiting);

        calls.Should().Be(2);
        values.Distinct().Should().BeEquivalentTo([2, 3]);
    }

    [Fact]
    public async Task GetAsync_InitialiserFailed_EveryCallerSeesTheSameFailure()
    {
        var calls = 0;
        using var sut = new OncePerKey<string, int>((key, _) =>
        {
            calls++;
            return Task.FromException<int>(new InvalidOperationException($"export of {key} failed"));
        });

        var first = () => sut.GetAsync("A", CancellationToken.None);
        var second = () => sut.GetAsync("A", CancellationToken.None);

        await first.Should().ThrowAsync<InvalidOperationException>().WithMessage("export of A failed");
        await second.Should().ThrowAsync<InvalidOperationException>().WithMessage("export of A failed");
        calls.Should().Be(1);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_OthersStillGetTheValue()
    {
        var gate = new TaskCompletionSource<int>();
        using var sut = new OncePerKey<string, int>((_, _) => gate.Task);
        using var impatient = new CancellationTokenSource();

        var cancelled = sut.GetAsync("A", impatient.Token);
        var patient = sut.GetAsync("A", CancellationToken.None);
        await impatient.CancelAsync();
        gate.SetResult(7);

        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await patient).Should().Be(7);
        sut.Completed().Should().Equal(7);
    }
}
