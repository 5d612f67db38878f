using FluentAssertions;
using TestBench.Harness.Resilience;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Resilience;

/// <summary>The one way to wait, driven by a manual clock: nothing here sleeps.</summary>
public sealed class PollTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ManualTimeProvider clock = new();
    private readonly ListLogger logger = new();

    [Fact]
    public async Task UntilDone_DoneOnThirdLook_ReturnsItAfterTwoIntervals()
    {
        var looks = 0;
        var started = clock.GetUtcNow();
        var poll = new Poll("build of alice/Hello", Interval, TimeSpan.FromMinutes(1));

        var result = await DriveAsync(poll.UntilDoneAsync(
            _ => Task.FromResult(++looks < 3 ? PollResult.Pending<int>("building") : PollResult.Done(42, "succeeded")),
            clock, logger, CancellationToken.None));

        result.IsDone.Should().BeTrue();
        result.Value.Should().Be(42);
        looks.Should().Be(3);
        (clock.GetUtcNow() - started).Should().Be(2 * Interval);
        logger.Lines.Should().Equal("Waiting for build of alice/Hello: building", "Waiting for build of alice/Hello: succeeded");
    }

    [Fact]
    public async Task UntilDone_NeverDone_ReturnsTheLastLookAtTheTimeout()
    {
        var looks = 0;
        var started = clock.GetUtcNow();
        var poll = new Poll("sync", Interval, TimeSpan.FromSeconds(5));

        var result = await DriveAsync(poll.UntilDoneAsync(_ => Task.FromResult(PollResult.Pending<int>($"look {++looks}")), clock, logger, CancellationToken.None));

        result.IsDone.Should().BeFalse();
        result.Status.Should().Be($"look {looks}");
        looks.Should().BeInRange(5, 6, "one look per second for five seconds");
        (clock.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task UntilDone_ProbeThrows_EndsTheWaitWithItsError()
    {
        var poll = new Poll("smoke call", Interval, TimeSpan.FromMinutes(1));

        var act = () => poll.UntilDoneAsync<int>(_ => throw new InvalidOperationException("the algorithm answered with an error"), clock, logger, CancellationToken.None);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("the algorithm answered with an error");
    }

    [Fact]
    public async Task UntilDone_Cancelled_StopsWaiting()
    {
        using var cancellation = new CancellationTokenSource();
        var poll = new Poll("build", Interval, TimeSpan.FromMinutes(1));
        var waiting = poll.UntilDoneAsync(_ => Task.FromResult(PollResult.Pending<int>("building")), clock, logger, cancellation.Token);
        await clock.WhenDueTimersAsync(2).WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();

        await waiting.Invoking(w => w.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>Advances the clock one interval whenever the wait sleeps on it (its timeout and its next look are both due).</summary>
    private async Task<PollResult<int>> DriveAsync(Task<PollResult<int>> waiting)
    {
        for (var step = 0; step < 100 && !waiting.IsCompleted; step++)
        {
            await Task.WhenAny(waiting, clock.WhenDueTimersAsync(2)).WaitAsync(TimeSpan.FromSeconds(30));
            if (!waiting.IsCompleted)
            {
                clock.Advance(Interval);
            }
        }

        return await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
