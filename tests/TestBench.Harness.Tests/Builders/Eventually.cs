using FluentAssertions;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// Waits for a state change in another process or thread (a worker starting, a queue filling): bounded polling that
/// fails the test when the condition never holds. Not a timing assertion, and never a fixed sleep in its place.
/// </summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string because = "the condition should hold within 10 s")
    {
        ArgumentNullException.ThrowIfNull(condition);
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().Should().BeTrue(because);
    }

    /// <summary>The same, for a condition that must be asked over the network.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string because = "the condition should hold within 10 s")
    {
        ArgumentNullException.ThrowIfNull(condition);
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        (await condition()).Should().BeTrue(because);
    }
}
