using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class TestComparisonTests
{
    private static WorkflowTest Test(OpenLoad? load) => new() { Name = "t", Payload = JsonDocument.Parse("1").RootElement, OpenLoad = load };

    [Fact]
    public void A_closed_model_test_has_no_window()
    {
        TestComparison.WindowOf(Test(null)).Should().BeNull();
    }

    [Theory]
    [InlineData(1000, 0.5)]
    [InlineData(100, 1.0)]
    [InlineData(2, 5.0)]
    public void An_open_model_window_runs_at_the_tests_highest_rate_long_enough_for_a_block(double rate, double seconds)
    {
        var load = new OpenLoad { Stages = [new LoadStage(rate / 10, 30), new LoadStage(rate, 60), new LoadStage(rate / 2, 30)], MaxInFlight = 77 };

        var window = TestComparison.WindowOf(Test(load))!;

        window.Stages.Should().Equal(new LoadStage(rate, seconds));
        window.MaxInFlight.Should().Be(77, "the test's own cap on calls in flight still holds");
    }

    [Theory]
    [InlineData(100, 0.01, true)]
    [InlineData(99, 0.99, false)]
    [InlineData(5, 1.0, true)]
    [InlineData(4, 1.5, false)]
    [InlineData(1, 10.0, true)]
    public void A_block_ends_at_100_calls_or_after_a_second_with_5_calls_or_after_10_seconds(int calls, double seconds, bool complete)
    {
        TestComparison.BlockComplete(calls, TimeSpan.FromSeconds(seconds)).Should().Be(complete);
    }

    [Theory]
    [InlineData(150, 0.5, false)]
    [InlineData(4, 1.5, false)]
    [InlineData(5, 1.0, true)]
    [InlineData(1, 10.0, true)]
    public void A_block_stops_starting_calls_within_a_trial_only_once_its_time_is_spent_not_at_100_calls(int calls, double seconds, bool spent)
    {
        TestComparison.BlockTimeSpent(calls, TimeSpan.FromSeconds(seconds)).Should().Be(spent);
    }
}
