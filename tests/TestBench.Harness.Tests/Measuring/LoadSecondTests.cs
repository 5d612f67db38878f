using System.Diagnostics;
using FluentAssertions;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class LoadSecondTests
{
    [Fact]
    public void Timeline_CallsOverThreeSeconds_CountsAndPercentilesPerSecond()
    {
        long At(double seconds) => 1_000_000 + (long)(seconds * Stopwatch.Frequency);
        CallRecord[] records =
        [
            new(At(0.0), 0.001, CallOutcome.Succeeded),
            new(At(0.5), 0.003, CallOutcome.Succeeded),
            new(At(0.9), 0.002, CallOutcome.Failed),
            new(At(2.1), 0.010, CallOutcome.Throttled),
            new(At(2.2), 0, CallOutcome.Dropped),
        ];

        var timeline = LoadSecond.Timeline(records);

        timeline.Should().Equal(
            new LoadSecond(0, 2, 1, 0, 0, 2, 3),
            new LoadSecond(1, 0, 0, 0, 0, 0, 0),
            new LoadSecond(2, 0, 0, 1, 1, 10, 10));
    }

    [Fact]
    public void Timeline_UnderTwoSeconds_IsEmpty()
    {
        var timeline = LoadSecond.Timeline([new(0, 0.001, CallOutcome.Succeeded), new(Stopwatch.Frequency / 2, 0.001, CallOutcome.Succeeded)]);

        timeline.Should().BeEmpty();
    }
}
