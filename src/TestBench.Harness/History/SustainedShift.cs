using System.Globalization;
using Perfolizer.Mathematics.Cpd;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace TestBench.Harness.History;

/// <summary>What a test's stored history says about its latest runs.</summary>
public enum HistoryVerdict
{
    /// <summary>No sustained change: the latest runs sit where the ones before them did (or no shift passes the threshold).</summary>
    Steady,

    /// <summary>The latest runs are slower than the ones before, by more than the threshold, significantly, over enough runs.</summary>
    Regressed,

    /// <summary>The latest runs are faster, the same way: a raised bar is due.</summary>
    Improved,

    /// <summary>Too few runs on this machine and address to judge.</summary>
    TooFewRuns,
}

/// <summary>How a series' shifts are judged: the smallest change that matters, the significance, and how many runs
/// before and after a change point its verdict rests on.</summary>
public sealed record HistoryPolicy
{
    /// <summary>The practical threshold on the median, relative. <value>0.05.</value></summary>
    public double Threshold { get; init; } = 0.05;

    /// <summary>The significance of each one-sided test. <value>0.01.</value></summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>The fewest runs after a change point that make it sustained, and the shortest segment the detector cuts.
    /// <value>3.</value></summary>
    public int MinRunsAfter { get; init; } = 3;

    /// <summary>The most runs before a change point its baseline is taken from (Perfherder's window). <value>12.</value></summary>
    public int MaxRunsBefore { get; init; } = 12;

    /// <summary>
    /// Whether the history's verdicts act: a sustained regression fails the case and a lasting improvement raises the
    /// bar. Off by default — the verdicts are reported (case output, results file) but do not act — until their false
    /// alarms on recorded unchanged runs are measured: in the first 16 unchanged runs recorded (2026-12-08), Wallaroo's
    /// `greets from a tarball` read a "sustained" 1.25× over 3 runs, real drift of the machine that this test cannot tell
    /// from a change. <value>false.</value>
    /// </summary>
    public bool Enforce { get; init; }

    /// <summary>The most recent runs a series is judged on: the question is whether the latest runs shifted, and the
    /// permutation test's cost grows with the runs (499 detector passes). <value>60 (two months of nightly runs).</value></summary>
    public int MaxRuns { get; init; } = 60;
}

/// <summary>
/// Finds sustained shifts in a test's run medians (issue #28). The series is cut where the target's address changed
/// (a new cluster is a new segment); within the last segment, Perfolizer's ED-PELT finds change points in the log
/// medians (nonparametric: it needs no noise model), and the one whose runs since stand out most is judged: every run
/// after it against up to <see cref="HistoryPolicy.MaxRunsBefore"/> runs before it — the ratio of
/// geometric means, with a Welch interval to read it by; its p is a permutation test's (E-Divisive's way): how often
/// shuffled runs show as strong a last shift. Regressed or improved needs p ≤ α and the ratio past the threshold, over
/// at least <see cref="HistoryPolicy.MinRunsAfter"/> runs (the shortest segment the detector cuts). A change point whose runs do not differ that much is steady: the
/// detector proposes, the test decides.
/// </summary>
public static class SustainedShift
{
    /// <summary>Judges <paramref name="series"/> (oldest first, one machine's).</summary>
    public static SeriesJudgement Judge(IReadOnlyList<SeriesPoint> series, HistoryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(policy);
        var segmentStart = series.Count == 0 ? 0 : LastIndexWhere(series, p => p.Address != series[^1].Address) + 1;
        var windowStart = series.Count - policy.MaxRuns;
        var segment = series.Skip(Math.Max(segmentStart, windowStart)).ToArray();
        var newSegment = segmentStart > 0 && segmentStart >= windowStart ? $"the target's address changed at run {Describe(segment[0])}, so only the {segment.Length} runs since count" : null;
        if (segment.Length < 2 * policy.MinRunsAfter)
        {
            return new SeriesJudgement { Verdict = HistoryVerdict.TooFewRuns, Runs = segment.Length, Note = newSegment };
        }

        var logs = segment.Select(p => Math.Log(p.P50Seconds)).ToArray();
        if (LastShift(logs, policy) is not { } shift)
        {
            return new SeriesJudgement { Verdict = HistoryVerdict.Steady, Runs = segment.Length, Note = newSegment };
        }

        var p = PermutationP(logs, shift, policy);
        var delta = Math.Log(1 + policy.Threshold);
        // The detector cuts no segment shorter than MinRunsAfter, so every change judged has that many runs after it; a
        // change in the last runs before that is the per-run verdict's to catch.
        var verdict = p > policy.Alpha ? HistoryVerdict.Steady
            : shift.Difference >= delta ? HistoryVerdict.Regressed
            : shift.Difference <= -delta ? HistoryVerdict.Improved
            : HistoryVerdict.Steady;
        return new SeriesJudgement
        {
            Verdict = verdict,
            Runs = segment.Length,
            Since = segment[shift.Start],
            RunsBefore = shift.Before,
            RunsAfter = shift.After,
            Ratio = Math.Exp(shift.Difference),
            Low = Math.Exp(shift.Low),
            High = Math.Exp(shift.High),
            P = p,
            Policy = policy,
            Note = newSegment,
        };
    }

    /// <summary>How many shuffles of a series the permutation test draws. <value>499 (the smallest p is 0.002).</value></summary>
    public const int Permutations = 499;

    /// <summary>
    /// The change point whose runs since stand out most from the runs before it: of the detector's cuts, the one with
    /// the strongest difference between every run after it and up to <see cref="HistoryPolicy.MaxRunsBefore"/> runs
    /// before. Not simply the last cut: in noise the detector also cuts inside a lasting shift, and its last short
    /// segment would then be compared with runs of the same shift.
    /// </summary>
    private static Shift? LastShift(double[] logs, HistoryPolicy policy)
    {
        Shift? strongest = null;
        foreach (var start in EdPeltChangePointDetector.Instance.GetChangePointIndexes(logs, policy.MinRunsAfter).Select(i => i + 1).Where(i => i > 0 && i <= logs.Length - policy.MinRunsAfter))
        {
            var from = Math.Max(0, start - policy.MaxRunsBefore);
            var (before, after) = (start - from, logs.Length - start);
            var (difference, low, high) = Compare(logs[from..start], logs[start..], policy);
            // The strength the permutation test compares: the difference weighted by the runs on each side, on the
            // series' own scale (the same values in every shuffle), not a t whose 3-run variances look strong by luck.
            var shift = new Shift(start, before, after, difference, low, high, difference * Math.Sqrt((double)before * after / (before + after)));
            if (strongest is null || Math.Abs(shift.Strength) > Math.Abs(strongest.Strength))
            {
                strongest = shift;
            }
        }

        return strongest;
    }

    /// <summary>
    /// How often a shuffled series — runs in a random order, so no change is real — shows a last shift at least as
    /// strong: the p of the change found, corrected for the detector having picked the strongest cut, which
    /// a t test of the same runs alone is not (unchanged nights were called improved by it). Seeded by the series, so a
    /// verdict is reproducible.
    /// </summary>
    private static double PermutationP(double[] logs, Shift observed, HistoryPolicy policy)
    {
        var random = new Random(logs.Length);
        var shuffled = (double[])logs.Clone();
        var asStrong = 0;
        for (var permutation = 0; permutation < Permutations; permutation++)
        {
            random.Shuffle(shuffled);
            if (LastShift(shuffled, policy) is { } shift && Math.Abs(shift.Strength) >= Math.Abs(observed.Strength))
            {
                asStrong++;
            }
        }

        return (asStrong + 1.0) / (Permutations + 1);
    }

    private sealed record Shift(int Start, int Before, int After, double Difference, double Low, double High, double Strength);

    /// <summary>Welch's interval on two samples of log medians: the difference of means and its 1 − 2α interval.</summary>
    private static (double Difference, double Low, double High) Compare(double[] before, double[] after, HistoryPolicy policy)
    {
        var (meanBefore, varianceBefore) = MeanAndVariance(before);
        var (meanAfter, varianceAfter) = MeanAndVariance(after);
        var difference = meanAfter - meanBefore;
        var (a, b) = (varianceBefore / before.Length, varianceAfter / after.Length);
        if (a + b == 0)
        {
            return (difference, difference, difference);
        }

        // Welch–Satterthwaite; a side of one run has no variance of its own and lends the other's degrees.
        var degrees = Math.Max(1, (a + b) * (a + b) / (((a * a) / Math.Max(1, before.Length - 1)) + ((b * b) / Math.Max(1, after.Length - 1))));
        var margin = new StudentDistribution(degrees).Quantile(1 - policy.Alpha) * Math.Sqrt(a + b);
        return (difference, difference - margin, difference + margin);
    }

    private static (double Mean, double Variance) MeanAndVariance(double[] values)
    {
        var mean = values.Average();
        return (mean, values.Length < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    private static int LastIndexWhere(IReadOnlyList<SeriesPoint> series, Func<SeriesPoint, bool> predicate)
    {
        for (var i = series.Count - 1; i >= 0; i--)
        {
            if (predicate(series[i]))
            {
                return i;
            }
        }

        return -1;
    }

    internal static string Describe(SeriesPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{point.StartedAt:yyyy-MM-dd HH:mm}{(point.Commit is null ? "" : $" (commit {point.Commit})")}");
}

/// <summary>A series' verdict with what it rests on: where the shift began, runs before and after, the ratio of their
/// geometric-mean medians with its interval and p.</summary>
public sealed record SeriesJudgement
{
    public required HistoryVerdict Verdict { get; init; }

    /// <summary>Runs in the judged segment.</summary>
    public required int Runs { get; init; }

    /// <summary>The first run after the last change point; <see langword="null"/> when there is none.</summary>
    public SeriesPoint? Since { get; init; }

    public int RunsBefore { get; init; }

    public int RunsAfter { get; init; }

    /// <summary>After over before: 1.2 is 20 % slower.</summary>
    public double Ratio { get; init; } = 1;

    public double Low { get; init; } = 1;

    public double High { get; init; } = 1;

    public double P { get; init; } = 1;

    public HistoryPolicy Policy { get; init; } = new();

    /// <summary>What the reader should know besides: a new segment after an address change.</summary>
    public string? Note { get; init; }

    /// <summary><c>regressed: p50 1.213× (98% CI 1.121–1.312) since 2026-12-01 09:00 (commit abc), 5 runs after vs 12 before, p = 0.0003, threshold 5 %</c>.</summary>
    public string Describe()
    {
        var verdict = Verdict switch
        {
            HistoryVerdict.TooFewRuns => $"too few runs to judge ({Runs}; {2 * Policy.MinRunsAfter} needed)",
            _ => Verdict.ToString().ToLowerInvariant(),
        };
        var shift = Since is null
            ? Verdict == HistoryVerdict.Steady ? $": no change point in {Runs} runs" : ""
            : string.Create(CultureInfo.InvariantCulture, $": p50 {Ratio:0.000}× ({1 - (2 * Policy.Alpha):0.##%} CI {Low:0.000}–{High:0.000}) since {SustainedShift.Describe(Since)}, {RunsAfter} run{(RunsAfter == 1 ? "" : "s")} after vs {RunsBefore} before, p = {P:0.####}, threshold {Policy.Threshold * 100:0.#} %");
        return verdict + shift + (Note is null ? "" : $"; {Note}");
    }
}
