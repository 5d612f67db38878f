using FluentAssertions;
using TestBench.Harness.Benchmark;
using Xunit;

namespace TestBench.Harness.Tests.Benchmark;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(50, 0.500)]
    [InlineData(90, 0.900)]
    [InlineData(99, 0.990)]
    [InlineData(100, 1.000)]
    public void Percentile_UniformMillisecondsToOneSecond_IsWithinOnePercent(double percentile, double expected)
    {
        var sut = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            sut.Record(ms / 1000.0);
        }

        sut.Percentile(percentile).Should().BeApproximately(expected, expected * 0.01);
        sut.Count.Should().Be(1000);
    }

    [Fact]
    public void Percentile_LongTail_SeparatesP50FromP99()
    {
        var sut = new LatencyHistogram();
        for (var i = 0; i < 990; i++)
        {
            sut.Record(0.010);
        }

        for (var i = 0; i < 10; i++)
        {
            sut.Record(2.0);
        }

        sut.Percentile(50).Should().BeApproximately(0.010, 0.0001);
        sut.Percentile(99).Should().BeApproximately(0.010, 0.0001);
        sut.Percentile(99.5).Should().BeApproximately(2.0, 0.02);
        sut.Max.Should().Be(2.0);
    }

    [Fact]
    public void Percentile_NothingRecorded_IsZero()
    {
        new LatencyHistogram().Percentile(50).Should().Be(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100.1)]
    public void Percentile_OutOfRange_Throws(double percentile)
    {
        var act = () => new LatencyHistogram().Percentile(percentile);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
