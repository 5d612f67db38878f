namespace TestBench.Harness.Measuring;

/// <summary>
/// One second of a test's calls (k6's and Gatling's time series): the calls that started in it — their outcomes, and
/// the p50 and p99 of those answered, in milliseconds (0 when none was).
/// </summary>
public sealed record LoadSecond(int Second, long Succeeded, long Errors, long Throttled, long Dropped, double P50Ms, double P99Ms)
{
    /// <summary>The shortest test given a timeline: shorter ones would plot a single point.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(2);

    /// <summary>Buckets every record by the second of its start, counted from the first call's start.</summary>
    public static IReadOnlyList<LoadSecond> Timeline(IEnumerable<CallRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = records.ToArray();
        if (all.Length == 0)
        {
            return [];
        }

        var origin = all.Min(r => r.StartTimestamp);
        var bySecond = all.GroupBy(r => (int)((r.StartTimestamp - origin) / System.Diagnostics.Stopwatch.Frequency)).ToDictionary(g => g.Key, g => g.ToArray());
        var last = bySecond.Keys.Max();
        if (last + 1 < Shortest.TotalSeconds)
        {
            return [];
        }

        return [.. Enumerable.Range(0, last + 1).Select(second => Of(second, bySecond.GetValueOrDefault(second, [])))];
    }

    private static LoadSecond Of(int second, CallRecord[] calls)
    {
        var answered = calls.Where(c => c.Outcome != CallOutcome.Dropped).Select(c => c.LatencySeconds * 1000).Order().ToArray();
        double At(double percentile) => Math.Round(NearestRank.Of(answered, percentile), 3);
        return new LoadSecond(
            second,
            calls.Count(c => c.Outcome == CallOutcome.Succeeded),
            calls.Count(c => c.Outcome == CallOutcome.Failed),
            calls.Count(c => c.Outcome == CallOutcome.Throttled),
            calls.Count(c => c.Outcome == CallOutcome.Dropped),
            At(50),
            At(99));
    }
}
