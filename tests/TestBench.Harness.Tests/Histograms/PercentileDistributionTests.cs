using FluentAssertions;
using TestBench.Harness.Histograms;
using Xunit;

namespace TestBench.Harness.Tests.Histograms;

public sealed class PercentileDistributionTests
{
    [Fact]
    public void Render_FourCalls_WritesHdrHistogramsTextFormat()
    {
        var histogram = LatencyHistogramTests.Of([1000, 2000, 3000, 4000]);

        var text = PercentileDistribution.Render(histogram);

        text.Should().Be(
            """
                   Value     Percentile TotalCount 1/(1-Percentile)

                   1.000 0.000000000000          1           1.00
                   1.000 0.100000000000          1           1.11
                   1.000 0.200000000000          1           1.25
                   2.000 0.300000000000          2           1.43
                   2.000 0.400000000000          2           1.67
                   2.000 0.500000000000          2           2.00
                   3.001 0.550000000000          3           2.22
                   3.001 0.600000000000          3           2.50
                   3.001 0.650000000000          3           2.86
                   3.001 0.700000000000          3           3.33
                   3.001 0.750000000000          3           4.00
                   4.000 0.775000000000          4           4.44
                   4.000 1.000000000000          4
            #[Mean    =        2.500, StdDeviation   =        1.118]
            #[Max     =        4.000, Total count    =            4]
            #[Buckets =           22, SubBuckets     =         2048]

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Rows_ManyCalls_ClimbTowardsTheMaximumAndEndAtIt()
    {
        var histogram = LatencyHistogramTests.Of(Enumerable.Range(1, 100_000).Select(i => (long)i));

        var rows = PercentileDistribution.Rows(histogram).ToList();

        rows.Select(r => r.Percentile).Should().BeInAscendingOrder().And.StartWith(0.0).And.EndWith(100.0);
        rows.Select(r => r.Value).Should().BeInAscendingOrder();
        rows[^2].Percentile.Should().BeGreaterThan(99.9, "100,000 calls are reported beyond three nines");
        rows[^1].Value.Should().Be(100_000);
    }
}
