using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class TrialPlanTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly RatchetOutcome Undecided = new(RatchetVerdict.Inconclusive, null, ["undecided"]);

    [Fact]
    public void IsCheckpoint_Adaptive_JudgesAtTwentyThenEachDoubling()
    {
        var sut = TrialPlan.For(Test(repeat: 1), Budget, minCallsForThroughput: 20);

        var checkpoints = Enumerable.Range(1, 200).Where(n => sut.IsCheckpoint(n, TimeSpan.Zero));

        checkpoints.Should().Equal(20, 40, 80, 160);
    }

    [Fact]
    public void IsCheckpoint_LoadShapedTest_StartsAtTen()
    {
        TrialPlan.For(Test(repeat: 200), Budget, minCallsForThroughput: 20).FirstCheckpoint.Should().Be(10);
    }

    [Fact]
    public void IsCheckpoint_BudgetSpent_JudgesNowAndStops()
    {
        var sut = TrialPlan.For(Test(repeat: 1), Budget, minCallsForThroughput: 20);

        sut.IsCheckpoint(3, Budget).Should().BeTrue();
        sut.IsFinal(3, Budget, Undecided).Should().BeTrue();
    }

    [Fact]
    public void IsFinal_Adaptive_ContinuesOnlyWhileUndecidedAndNotNoisy()
    {
        var sut = TrialPlan.For(Test(repeat: 1), Budget, minCallsForThroughput: 20);

        sut.IsFinal(20, TimeSpan.FromSeconds(1), Undecided).Should().BeFalse();
    }

    [Fact]
    public void IsFinal_DecidedOrNoiseGuarded_Stops()
    {
        var sut = TrialPlan.For(Test(repeat: 1), Budget, minCallsForThroughput: 20);

        sut.IsFinal(20, TimeSpan.Zero, Undecided with { Verdict = RatchetVerdict.Same }).Should().BeTrue();
        sut.IsFinal(20, TimeSpan.Zero, Undecided with { NoiseGuarded = true }).Should().BeTrue();
    }

    [Fact]
    public void Plan_FixedTrials_RunsExactlyThatMany()
    {
        var sut = TrialPlan.For(Test(repeat: 1) with { Trials = 7 }, Budget, minCallsForThroughput: 20);

        Enumerable.Range(1, 100).Where(n => sut.IsCheckpoint(n, Budget * 2)).First().Should().Be(7);
        sut.IsCheckpoint(6, Budget * 2).Should().BeFalse("a fixed count ignores the budget");
        sut.IsFinal(7, TimeSpan.Zero, Undecided).Should().BeTrue();
    }

    [Fact]
    public void Plan_TaskRunCalls_LoadShapedTestRunsOneTrial_UnlessTrialsSay_SingleCallsStayAdaptive()
    {
        TrialPlan.For(Test(repeat: 200), Budget, minCallsForThroughput: 20, callsAreTaskRuns: true).Fixed.Should().Be(1);
        TrialPlan.For(Test(repeat: 200) with { Trials = 3 }, Budget, minCallsForThroughput: 20, callsAreTaskRuns: true).Fixed.Should().Be(3);
        TrialPlan.For(Test(repeat: 1), Budget, minCallsForThroughput: 20, callsAreTaskRuns: true).Fixed.Should().BeNull();
        TrialPlan.For(Test(repeat: 200), Budget, minCallsForThroughput: 20).Fixed.Should().BeNull("served calls stay adaptive");
    }

    private static WorkflowTest Test(int repeat) => new() { Name = "t", Payload = JsonDocument.Parse("1").RootElement, Repeat = repeat };
}
