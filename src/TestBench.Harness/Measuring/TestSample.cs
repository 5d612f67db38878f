using TestBench.Harness.Histograms;

namespace TestBench.Harness.Measuring;

/// <summary>
/// Everything one test measured in a run: its trials, and from them the latency of every counted call and the
/// throughput of every trial, the two samples a verdict compares with the bar's reference.
/// </summary>
public sealed record TestSample
{
    public static readonly TestSample Empty = new() { Trials = [] };

    public required IReadOnlyList<Trial> Trials { get; init; }

    public long Calls => Trials.Sum(t => t.Calls);

    public long Errors => Trials.Sum(t => t.Errors);

    /// <summary>Calls that did not succeed for any reason (errors, 429s, dropped calls).</summary>
    public long Failures => Trials.Sum(t => t.Failures);

    /// <summary>Every counted call's latency, in milliseconds.</summary>
    public IReadOnlyList<double> LatenciesMs => [.. Trials.SelectMany(t => t.Latencies).Select(seconds => seconds * 1000)];

    /// <summary>Each trial's throughput, successful calls per second.</summary>
    public IReadOnlyList<double> TrialThroughputs => [.. Trials.Select(t => t.Throughput)];

    /// <summary>The fewest calls of any trial: a trial of a handful of calls measures latency, not throughput.</summary>
    public long CallsPerTrial => Trials.Count == 0 ? 0 : Trials.Min(t => t.Calls);

    public TestSample With(Trial trial) => this with { Trials = [.. Trials, trial] };

    /// <summary>Counts, throughput over all trials, exact latency percentiles (nearest rank) of every answered call,
    /// their histogram and the timeline.</summary>
    public LoadResult Summarize()
    {
        var sorted = Trials.SelectMany(t => t.Latencies).Order().ToArray();
        var elapsed = Trials.Sum(t => t.ElapsedSeconds);
        var histogram = new LatencyHistogram();
        foreach (var latency in sorted)
        {
            histogram.RecordSeconds(latency);
        }

        double At(double percentile) => NearestRank.Of(sorted, percentile);
        var succeeded = Calls - Errors - Trials.Sum(t => t.Throttled);
        return new LoadResult
        {
            Calls = Calls,
            Errors = Errors,
            Throttled = Trials.Sum(t => t.Throttled),
            Dropped = Trials.Sum(t => t.Dropped),
            Trials = Trials.Count,
            Throughput = elapsed > 0 ? succeeded / elapsed : 0,
            P50 = At(50),
            P90 = At(90),
            P95 = At(95),
            P99 = At(99),
            P999 = At(99.9),
            Max = sorted.Length == 0 ? 0 : sorted[^1],
            FirstError = Trials.Select(t => t.FirstError).FirstOrDefault(e => e is not null),
            Histogram = histogram,
            TrialThroughputs = [.. TrialThroughputs.Select(t => Math.Round(t, 2))],
            Timeline = LoadSecond.Timeline(Trials.SelectMany(t => t.Records)),
        };
    }
}
