using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Histograms;
using Xunit;

namespace TestBench.Harness.Tests.Histograms;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

    public static TheoryData<int, int> Samples => new() { { 1, 1 }, { 7, 2 }, { 1_000, 3 }, { 100_000, 4 } };

    [Theory]
    [MemberData(nameof(Samples))]
    public void ValueAtPercentile_RandomLatencies_IsTheExactNearestRankWithinThreeDigits(int size, int seed)
    {
        var values = LogNormalMicroseconds(size, seed);
        var histogram = Of(values);
        var sorted = values.Order().ToArray();

        foreach (var percentile in Percentiles)
        {
            var exact = percentile == 0 ? sorted[0] : sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * size) - 1)];
            var reported = histogram.ValueAtPercentile(percentile);

            reported.Should().BeGreaterThanOrEqualTo(exact, "p{0} is reported at the top of the exact value's bucket", percentile);
            (reported - exact).Should().BeLessThanOrEqualTo(exact / 1024, "3 significant digits (p{0} of {1} values)", percentile, size);
            reported.Should().Be(Math.Min(LatencyHistogram.HighestEquivalentValue(exact), sorted[^1]));
        }

        histogram.Min.Should().Be(sorted[0]);
        histogram.Max.Should().Be(sorted[^1]);
        histogram.TotalCount.Should().Be(size);
        histogram.Mean.Should().BeApproximately(values.Average(), 1e-6);
    }

    [Fact]
    public void Record_BelowTwoMilliseconds_KeepsEveryMicrosecond()
    {
        var histogram = Of([1, 2, 3, 2047]);

        histogram.RecordedBuckets().Should().Equal((1, 1), (2, 1), (3, 1), (2047, 1));
        LatencyHistogram.HighestEquivalentValue(2047).Should().Be(2047);
        LatencyHistogram.HighestEquivalentValue(2048).Should().Be(2049);
        LatencyHistogram.HighestEquivalentValue(1_000_000).Should().Be(1_000_447);
    }

    [Fact]
    public void Record_OutsideTheRange_IsClampedToOneMicrosecondAndOneHour()
    {
        var histogram = new LatencyHistogram();

        histogram.RecordSeconds(0);
        histogram.RecordSeconds(7200);

        histogram.Min.Should().Be(LatencyHistogram.LowestMicroseconds);
        histogram.Max.Should().Be(LatencyHistogram.HighestMicroseconds);
        histogram.ValueAtPercentile(100).Should().Be(3_600_000_000);
    }

    [Fact]
    public void Add_TwoRuns_EqualsTheHistogramOfAllTheirCalls()
    {
        var first = LogNormalMicroseconds(5_000, 11);
        var second = LogNormalMicroseconds(3_000, 12).Select(v => v * 3).ToArray();
        var merged = Of(first);

        merged.Add(Of(second));

        var together = Of([.. first, .. second]);
        merged.RecordedBuckets().Should().Equal(together.RecordedBuckets());
        (merged.Min, merged.Max, merged.TotalCount).Should().Be((together.Min, together.Max, together.TotalCount));
        merged.Sum.Should().BeApproximately(together.Sum, 1e-3);
        foreach (var percentile in Percentiles)
        {
            merged.ValueAtPercentile(percentile).Should().Be(together.ValueAtPercentile(percentile));
        }
    }

    [Fact]
    public void Json_RoundTrip_RestoresEveryBucketAndTheExactExtremes()
    {
        var histogram = Of(LogNormalMicroseconds(2_000, 5));
        var options = new JsonSerializerOptions { Converters = { new LatencyHistogramJsonConverter() } };

        var read = JsonSerializer.Deserialize<LatencyHistogram>(JsonSerializer.Serialize(histogram, options), options)!;

        read.RecordedBuckets().Should().Equal(histogram.RecordedBuckets());
        (read.Min, read.Max, read.TotalCount, read.Sum).Should().Be((histogram.Min, histogram.Max, histogram.TotalCount, histogram.Sum));
    }

    [Theory]
    [InlineData("""{"unit":"ms","significant_digits":3,"count":0,"min":0,"max":0,"sum":0,"buckets":[]}""", "histogram: is in 'ms' with 3 significant digits; expected 'us' with 3")]
    [InlineData("""{"unit":"us","significant_digits":3,"count":2,"min":5,"max":5,"sum":5,"buckets":[[5,1]]}""", "histogram: count 2 differs from the buckets' 1")]
    [InlineData("""{"unit":"us","significant_digits":3,"count":1,"min":5,"max":5,"sum":5,"buckets":[[5,1,2]]}""", "histogram: bucket [5,1,2] is not a [value, count] pair")]
    [InlineData("""{"unit":"us","significant_digits":3,"count":1,"min":4,"max":5,"sum":5,"buckets":[[5,1]]}""", "histogram: min 4 and max 5 do not fall in the first and last buckets")]
    [InlineData("""{"unit":"us","significant_digits":3,"count":1,"min":5,"max":5,"buckets":[[5,1]]}""", "histogram: has no 'sum'")]
    public void Json_Malformed_SaysWhatIsWrong(string json, string message)
    {
        var options = new JsonSerializerOptions { Converters = { new LatencyHistogramJsonConverter() } };

        var read = () => JsonSerializer.Deserialize<LatencyHistogram>(json, options);

        read.Should().Throw<JsonException>().WithMessage(message);
    }

    internal static LatencyHistogram Of(IEnumerable<long> microseconds)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in microseconds)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    /// <summary>Latencies around 1 ms with a long tail (a log-normal), in whole microseconds.</summary>
    private static long[] LogNormalMicroseconds(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(1, (long)Math.Exp(Math.Log(1000) + (1.5 * normal)));
        })];
    }
}
