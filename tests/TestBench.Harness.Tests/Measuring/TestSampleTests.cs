using FluentAssertions;
using TestBench.Harness.Measuring;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class TestSampleTests
{
    [Fact]
    public void Summarize_SeveralTrials_ExactNearestRankPercentilesOfEveryCall()
    {
        // 1..100 ms over two trials of 50 calls: nearest-rank percentiles are the values themselves.
        var sample = TestSample.Empty
            .With(Trial(Enumerable.Range(1, 50).Select(ms => ms / 1000.0), elapsed: 1))
            .With(Trial(Enumerable.Range(51, 50).Select(ms => ms / 1000.0), elapsed: 0.5));

        var load = sample.Summarize();

        load.Calls.Should().Be(100);
        load.Trials.Should().Be(2);
        load.P50.Should().Be(0.050);
        load.P90.Should().Be(0.090);
        load.P99.Should().Be(0.099);
        load.Max.Should().Be(0.100);
        load.Throughput.Should().BeApproximately(100 / 1.5, 1e-9);
        sample.TrialThroughputs.Should().Equal(50, 100);
        sample.LatenciesMs.Should().HaveCount(100).And.Contain(1).And.Contain(100);
        sample.CallsPerTrial.Should().Be(50);
    }

    [Fact]
    public void Summarize_TrialWithErrors_KeepsTheFirstErrorAndCountsThem()
    {
        var sample = TestSample.Empty.With(Trial([0.01], elapsed: 0.01)).With(TestSampleBuilder.Trial([0.02, 0.03], elapsed: 0.05, failed: 1, firstError: "boom"));

        var load = sample.Summarize();

        load.Errors.Should().Be(1);
        load.FirstError.Should().Be("boom");
        load.SuccessRate.Should().BeApproximately(2.0 / 3, 1e-9);
    }

    private static Trial Trial(IEnumerable<double> latencies, double elapsed) => TestSampleBuilder.Trial([.. latencies], elapsed);
}
