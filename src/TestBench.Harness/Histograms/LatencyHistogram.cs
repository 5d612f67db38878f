using System.Numerics;

namespace TestBench.Harness.Histograms;

/// <summary>
/// A latency histogram in the layout of HdrHistogram (Gil Tene's High Dynamic Range histogram): microseconds from
/// 1 µs to one hour, kept to 3 significant digits (every recorded value is counted in a bucket no wider than 1/1024
/// of it), in a fixed 188 KB of counts whatever the number of calls. Every histogram has the same layout, so any two
/// merge exactly — the runs of several CI agents add up to the histogram of all their calls. The exact minimum,
/// maximum and sum are kept beside the counts.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The smallest value told apart from its neighbours, in microseconds.</summary>
    public const long LowestMicroseconds = 1;

    /// <summary>The largest value recorded as itself (one hour); longer calls are counted at this value.</summary>
    public const long HighestMicroseconds = 3_600_000_000;

    /// <summary>Significant decimal digits kept.</summary>
    public const int SignificantDigits = 3;

    // 2 × 10^3 distinct values per power of two, rounded up to a power of two: 2048 sub-buckets, of which the upper
    // half is used in every bucket after the first.
    internal const int SubBucketCount = 2048;
    private const int SubBucketHalfCount = SubBucketCount / 2;
    private const int SubBucketHalfCountMagnitude = 10;
    private const long SubBucketMask = SubBucketCount - 1;

    // 2048 × 2^21 > one hour in µs: 22 buckets.
    internal const int BucketCount = 22;
    private const int CountsLength = (BucketCount + 1) * SubBucketHalfCount;
    private const int LeadingZeroCountBase = 64 - SubBucketHalfCountMagnitude - 1;

    private readonly long[] counts = new long[CountsLength];

    public long TotalCount { get; private set; }

    /// <summary>The smallest value recorded, exactly (µs); 0 when empty.</summary>
    public long Min { get; private set; }

    /// <summary>The largest value recorded, exactly (µs); 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>The sum of every recorded value (µs), for the mean.</summary>
    public double Sum { get; private set; }

    public double Mean => TotalCount == 0 ? 0 : Sum / TotalCount;

    /// <summary>Records a latency given in seconds (as the load runner measures it).</summary>
    public void RecordSeconds(double seconds) => Record(ToMicroseconds(seconds));

    /// <summary>Records <paramref name="count"/> calls of <paramref name="microseconds"/> each (clamped to 1 µs … 1 h).</summary>
    public void Record(long microseconds, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        var value = Math.Clamp(microseconds, LowestMicroseconds, HighestMicroseconds);
        counts[IndexOf(value)] += count;
        Min = TotalCount == 0 ? value : Math.Min(Min, value);
        Max = Math.Max(Max, value);
        TotalCount += count;
        Sum += (double)value * count;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this one: the histogram of both sets of calls.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.TotalCount == 0)
        {
            return;
        }

        for (var i = 0; i < CountsLength; i++)
        {
            counts[i] += other.counts[i];
        }

        Min = TotalCount == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        TotalCount += other.TotalCount;
        Sum += other.Sum;
    }

    /// <summary>
    /// The value at a percentile (0–100), as nearest rank: the smallest recorded value with at least that share of
    /// calls at or below it, reported as the highest value of its bucket (so never below the exact one, and at most
    /// 1/1024 above it). Percentile 100 is the exact maximum; 0 the exact minimum.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (TotalCount == 0)
        {
            return 0;
        }

        if (percentile == 0)
        {
            return Min;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * TotalCount));
        if (rank >= TotalCount)
        {
            return Max;
        }

        long seen = 0;
        for (var i = 0; i < CountsLength; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalentValue(ValueAt(i)), Max);
            }
        }

        return Max;
    }

    /// <summary>The buckets that hold calls, in ascending order: each bucket's lowest value (µs) and its count.</summary>
    public IEnumerable<(long Value, long Count)> RecordedBuckets()
    {
        for (var i = 0; i < CountsLength; i++)
        {
            if (counts[i] != 0)
            {
                yield return (ValueAt(i), counts[i]);
            }
        }
    }

    /// <summary>
    /// A histogram from its recorded buckets and exact extremes, as <see cref="RecordedBuckets"/> and the properties
    /// give them; throws <see cref="FormatException"/> naming what does not fit.
    /// </summary>
    public static LatencyHistogram Restore(IEnumerable<(long Value, long Count)> buckets, long min, long max, double sum)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var histogram = new LatencyHistogram();
        foreach (var (value, count) in buckets)
        {
            if (value is < 0 or > HighestMicroseconds || count < 1)
            {
                throw new FormatException($"bucket [{value}, {count}] is outside 0–{HighestMicroseconds} µs or has no calls");
            }

            histogram.Record(value, count);
        }

        if (histogram.TotalCount > 0 && (min < histogram.Min || min > HighestEquivalentValue(histogram.Min) || max < histogram.Max || max > HighestEquivalentValue(histogram.Max)))
        {
            throw new FormatException($"min {min} and max {max} do not fall in the first and last buckets");
        }

        if (histogram.TotalCount > 0)
        {
            (histogram.Min, histogram.Max, histogram.Sum) = (min, max, sum);
        }

        return histogram;
    }

    /// <summary>The highest value counted in the same bucket as <paramref name="microseconds"/>.</summary>
    public static long HighestEquivalentValue(long microseconds)
    {
        var value = Math.Clamp(microseconds, LowestMicroseconds, HighestMicroseconds);
        var bucket = BucketIndex(value);
        var subBucket = (int)(value >> bucket);
        var width = 1L << (subBucket >= SubBucketCount ? bucket + 1 : bucket);
        return ValueFrom(bucket, subBucket) + width - 1;
    }

    /// <summary>Seconds as whole microseconds, rounded.</summary>
    public static long ToMicroseconds(double seconds) => (long)Math.Round(seconds * 1_000_000, MidpointRounding.AwayFromZero);

    private static int IndexOf(long value)
    {
        var bucket = BucketIndex(value);
        var subBucket = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountMagnitude) + (subBucket - SubBucketHalfCount);
    }

    private static int BucketIndex(long value) => LeadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask));

    private static long ValueFrom(int bucket, int subBucket) => (long)subBucket << bucket;

    private static long ValueAt(int index)
    {
        var bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        var subBucket = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= SubBucketHalfCount;
            bucket = 0;
        }

        return ValueFrom(bucket, subBucket);
    }
}
