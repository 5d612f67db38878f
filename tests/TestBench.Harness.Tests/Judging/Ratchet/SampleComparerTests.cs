using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class SampleComparerTests
{
    [Theory]
    [InlineData(1.0, "Same")]
    [InlineData(1.5, "Worse")]
    public void Compare_LargeSamples_StillDecidesWithAFiniteP(double factor, string expected)
    {
        // 3000 vs 1000 values: Perfolizer's Mann-Whitney alone answers NaN at this size.
        var random = new Random(7);
        var reference = Enumerable.Range(0, 1000).Select(_ => 1 + random.NextDouble()).ToArray();
        var current = Enumerable.Range(0, 3000).Select(_ => (1 + random.NextDouble()) * factor).ToArray();

        var comparison = SampleComparer.Compare("latency p50", "ms", reference, current, higherIsWorse: true, 0.1, 0.1, 0.001, 8);

        comparison.Change.ToString().Should().Be(expected);
        double.IsFinite(comparison.PValue).Should().BeTrue();
        (comparison.CurrentSize, comparison.ReferenceSize).Should().Be((3000, 1000), "the message reports the samples as measured");
    }
}
