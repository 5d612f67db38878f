namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// How a run's sample is judged against a bar's reference sample. Every limit below comes from the spread measured
/// on the 2-core CI machine by <c>bench/verdicts.sh</c> (numbers and commands in <c>docs/benchmarks.md</c>).
/// </summary>
public sealed record VerdictPolicy
{
    /// <summary>Significance level of each one-sided Mann-Whitney test. <value>Default 0.001: with a few looks per
    /// test (adaptive trials) sampling alone raises far fewer than 1 % false alarms.</value></summary>
    public double Alpha { get; init; } = 0.001;

    /// <summary>The smallest relative latency change that matters. <value>Default 0.10 (10 %).</value></summary>
    public double LatencyThreshold { get; init; } = 0.10;

    /// <summary>The smallest absolute latency change that matters, in ms. <value>Default 0.1 ms.</value></summary>
    public double LatencyFloorMs { get; init; } = 0.1;

    /// <summary>The smallest relative throughput change that matters. <value>Default 0.10 (10 %).</value></summary>
    public double ThroughputThreshold { get; init; } = 0.10;

    /// <summary>Fewer values on either side leave a measure undecided. <value>Default 8: below it, Mann-Whitney
    /// cannot reach <see cref="Alpha"/> however different the samples are.</value></summary>
    public int MinSampleSize { get; init; } = 8;

    /// <summary>Trials of at least this many calls also yield a throughput sample. <value>Default 20.</value></summary>
    public int MinCallsForThroughput { get; init; } = 20;

    /// <summary>Calibration median slower than its baseline by more than this marks the machine disturbed.
    /// <value>Default 1.25: quiet medians stayed within ±4 % of each other, two busy neighbours made them 1.5–2.2×.</value></summary>
    public double MaxCalibrationSlowdown { get; init; } = 1.25;

    /// <summary>A test's latency threshold: the larger of <see cref="LatencyThreshold"/> and its measured run-to-run noise.</summary>
    public double LatencyThresholdOf(Bar bar) => Math.Max(LatencyThreshold, bar?.Noise?.Latency ?? 0);

    /// <summary>A test's throughput threshold: the larger of <see cref="ThroughputThreshold"/> and its measured run-to-run noise.</summary>
    public double ThroughputThresholdOf(Bar bar) => Math.Max(ThroughputThreshold, bar?.Noise?.Throughput ?? 0);

    /// <summary>Whether a would-be regression on a disturbed machine still fails. <value>Default false.</value></summary>
    public bool Strict { get; init; }
}
