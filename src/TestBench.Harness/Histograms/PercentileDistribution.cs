using System.Globalization;
using System.Text;

namespace TestBench.Harness.Histograms;

/// <summary>
/// A histogram's percentile distribution in HdrHistogram's text format (<c>.hgrm</c>, as its
/// <c>outputPercentileDistribution</c> and wrk2 print it), values in milliseconds, so HdrHistogram's plotter and
/// the tools built on it read TestBench's results. Rows step through the percentiles 5 per halving of the distance to
/// 100 % (0, 10, 20 … 50, 55 … 75, 77.5 …), each reported at the first bucket that reaches it.
/// </summary>
public static class PercentileDistribution
{
    private const int TicksPerHalfDistance = 5;

    /// <summary>The text of the file.</summary>
    public static string Render(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var text = new StringBuilder();
        text.Append(Invariant($"{"Value",12} {"Percentile",14} {"TotalCount",10} {"1/(1-Percentile)",14}\n\n"));
        foreach (var (value, percentile, cumulative) in Rows(histogram))
        {
            text.Append(Invariant($"{Milliseconds(value),12} {percentile / 100:0.000000000000} {cumulative,10}"));
            text.Append(percentile < 100 ? Invariant($" {1 / (1 - (percentile / 100)),14:0.00}\n") : "\n");
        }

        var deviation = StandardDeviation(histogram);
        text.Append(Invariant($"#[Mean    = {Milliseconds(histogram.Mean),12}, StdDeviation   = {Milliseconds(deviation),12}]\n"));
        text.Append(Invariant($"#[Max     = {Milliseconds(histogram.Max),12}, Total count    = {histogram.TotalCount,12}]\n"));
        text.Append(Invariant($"#[Buckets = {LatencyHistogram.BucketCount,12}, SubBuckets     = {LatencyHistogram.SubBucketCount,12}]\n"));
        return text.ToString();
    }

    /// <summary>The reported rows: value (µs, highest of its bucket), the percentile level reached and the calls up to it.</summary>
    internal static IEnumerable<(long Value, double Percentile, long Cumulative)> Rows(LatencyHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            yield break;
        }

        var level = 0.0;
        long cumulative = 0;
        foreach (var (value, count) in histogram.RecordedBuckets())
        {
            cumulative += count;
            var reached = 100.0 * cumulative / histogram.TotalCount;
            var top = Math.Min(LatencyHistogram.HighestEquivalentValue(value), histogram.Max);
            while (reached >= level)
            {
                yield return (top, level, cumulative);
                level += 100.0 / (TicksPerHalfDistance * Math.Pow(2, Math.Floor(Math.Log2(100.0 / (100.0 - level))) + 1));
                if (cumulative == histogram.TotalCount)
                {
                    // The last bucket reports one level, then the closing 100 % row (as HdrHistogram's iterator does).
                    break;
                }
            }
        }

        yield return (histogram.Max, 100, histogram.TotalCount);
    }

    private static double StandardDeviation(LatencyHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return 0;
        }

        var mean = histogram.Mean;
        var squares = histogram.RecordedBuckets().Sum(bucket =>
        {
            var middle = (bucket.Value + LatencyHistogram.HighestEquivalentValue(bucket.Value) + 1) / 2.0;
            return (middle - mean) * (middle - mean) * bucket.Count;
        });
        return Math.Sqrt(squares / histogram.TotalCount);
    }

    private static string Milliseconds(double microseconds) => (microseconds / 1000).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
