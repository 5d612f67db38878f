using FluentAssertions;
using TestBench.Harness.Algorithmia;
using Xunit;

namespace TestBench.Harness.Tests.Algorithmia;

public sealed class DeadlinePoolTests
{
    [Fact]
    public async Task Start_DeadlinePasses_CancelsTheToken()
    {
        using var pool = new DeadlinePool();

        using var deadline = pool.Start(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        await Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        deadline.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Start_OuterTokenCancelled_CancelsTheDeadlineAndItIsNotReused()
    {
        using var pool = new DeadlinePool();
        using var outer = new CancellationTokenSource();
        CancellationToken first;

        using (var deadline = pool.Start(TimeSpan.FromMinutes(1), outer.Token))
        {
            first = deadline.Token;
            outer.Cancel();
            first.IsCancellationRequested.Should().BeTrue();
        }

        using var next = pool.Start(TimeSpan.FromMinutes(1), CancellationToken.None);
        next.Token.IsCancellationRequested.Should().BeFalse("a cancelled source never comes back");
    }

    [Fact]
    public async Task Start_AfterAnUnfiredDeadline_ReusesItsSourceWithANewDeadline()
    {
        using var pool = new DeadlinePool();
        CancellationToken first;
        using (var deadline = pool.Start(TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            first = deadline.Token;
        }

        using var reused = pool.Start(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        reused.Token.Should().Be(first, "the source was reset and handed out again");
        reused.Token.IsCancellationRequested.Should().BeFalse();
        await Task.Delay(Timeout.Infinite, reused.Token).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        reused.Token.IsCancellationRequested.Should().BeTrue("the new, shorter deadline applies");
    }
}
