namespace TestBench.Harness.Benchmark;

/// <summary>
/// A latency histogram with log-spaced buckets: any value from 1 µs to about 1 hour lands in a bucket whose
/// width is at most 1 % of its value, so percentiles carry at most 1 % relative error, in constant memory
/// however many calls are recorded. Thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The smallest value told apart, in seconds.</summary>
    public const double Resolution = 1e-6;

    private const double Growth = 1.01;
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(3600 / Resolution) / Math.Log(Growth)) + 2;

    private readonly long[] counts = new long[BucketCount];
    private readonly Lock sync = new();
    private double max;

    public long Count { get; private set; }

    /// <summary>The largest value recorded, exactly.</summary>
    public double Max
    {
        get
        {
            lock (sync)
            {
                return max;
            }
        }
    }

    /// <summary>Records one latency in seconds.</summary>
    public void Record(double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        var bucket = seconds <= Resolution ? 0 : Math.Min(BucketCount - 1, 1 + (int)Math.Floor(Math.Log(seconds / Resolution) / Math.Log(Growth)));
        lock (sync)
        {
            counts[bucket]++;
            Count++;
            max = Math.Max(max, seconds);
        }
    }

    /// <summary>The value below which <paramref name="percentile"/> % of the recorded values fall (nearest rank).</summary>
    /// <param name="percentile">0 (exclusive) to 100 (inclusive).</param>
    public double Percentile(double percentile)
    {
        if (percentile is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is greater than 0 and at most 100.");
        }

        lock (sync)
        {
            if (Count == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(percentile / 100 * Count);
            long seen = 0;
            for (var bucket = 0; bucket < counts.Length; bucket++)
            {
                seen += counts[bucket];
                if (seen >= rank)
                {
                    // The bucket's geometric middle; never above the largest value seen.
                    var value = bucket == 0 ? Resolution : Resolution * Math.Pow(Growth, bucket - 0.5);
                    return Math.Min(value, max);
                }
            }

            return max;
        }
    }
}
