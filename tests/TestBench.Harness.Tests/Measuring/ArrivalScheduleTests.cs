using FluentAssertions;
using TestBench.Harness.Measuring;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void DueTimes_ConstantRate_EvenlySpacedFromZero()
    {
        var load = new OpenLoad { Stages = [new LoadStage(10, 2)] };

        var due = ArrivalSchedule.DueTimes(load).ToArray();

        ArrivalSchedule.CountOf(load).Should().Be(20);
        due.Should().HaveCount(20);
        due.Select((t, i) => t - (i / 10.0)).Should().AllSatisfy(d => d.Should().BeApproximately(0, 1e-9));
    }

    [Fact]
    public void DueTimes_Ramp_AccelersLinearlyToTheNextRate()
    {
        // 10/s for 1 s, then 10 → 30/s over 1 s: 10 + 20 calls, closer together as the rate climbs.
        var load = new OpenLoad { Stages = [new LoadStage(10, 1), new LoadStage(30, 1)] };

        var due = ArrivalSchedule.DueTimes(load).ToArray();

        due.Should().HaveCount(30).And.BeInAscendingOrder();
        due.Count(t => t < 1).Should().Be(10);
        due[^1].Should().BeLessThan(2);
        var gaps = due.Skip(10).Zip(due.Skip(11), (a, b) => b - a).ToArray();
        gaps.Should().BeInDescendingOrder();
        gaps[0].Should().BeApproximately(1 / 10.0, 0.01);
        gaps[^1].Should().BeApproximately(1 / 30.0, 0.005);
        // Arrivals by 1.5 s: 10 + (10·0.5 + 20·0.25/2) = 17.5 → the 18th call (index 17) is due by then.
        due[17].Should().BeLessThanOrEqualTo(1.5).And.BeGreaterThan(due[16]);
        due[18].Should().BeGreaterThan(1.5);
    }

    [Fact]
    public void DueTimes_RampDown_SlowsToTheLastRate()
    {
        var load = new OpenLoad { Stages = [new LoadStage(40, 0.5), new LoadStage(4, 1)] };

        var due = ArrivalSchedule.DueTimes(load).ToArray();

        ArrivalSchedule.CountOf(load).Should().Be(20 + 22);
        due.Should().HaveCount(42).And.BeInAscendingOrder();
        due[^1].Should().BeLessThanOrEqualTo(1.5);
    }
}
