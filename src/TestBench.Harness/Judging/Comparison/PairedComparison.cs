using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace TestBench.Harness.Judging.Comparison;

/// <summary>
/// Judges a candidate against its baseline from pairs of blocks measured at nearly the same moment (randomized
/// interleaved trials): each pair gives one log ratio, log(candidate / baseline), so drift between runs and between
/// pairs cancels within the pair. A paired Student t on the log ratios gives the ratio's 1 − 2α interval and the
/// one-sided p; with δ = log(1 + threshold):
/// <list type="bullet">
/// <item><b>worse</b> when the interval lies above 1 (p ≤ α / looks: see <see cref="ComparisonPolicy.Looks"/>) and the
/// ratio is at least 1 + threshold;</item>
/// <item><b>better</b> the same way below;</item>
/// <item><b>same</b> when the whole 1 − 2α interval of this run's pairs lies within ±δ (two one-sided tests at α);</item>
/// <item>otherwise <b>need more data</b> while the budget lasts, then <b>inconclusive</b>.</item>
/// </list>
/// A disturbed machine never yields worse or better: those become need-more (or inconclusive), with the reason.
/// Requiring the ratio itself past the threshold, not only the interval past 1, keeps a significant but small
/// difference — such as two instances of one build that landed on different cores — from failing a case. Between
/// embedded twins the interval behind <b>worse</b> and <b>better</b> is widened by <see cref="ComparisonPolicy.InstanceSpread"/>:
/// a pair of processes of one build differ for a whole run by a few percent, which no number of pairs within the run
/// reveals, so only a difference beyond that spread is called one; <b>same</b> speaks of the two servers measured,
/// and uses the run's own interval. Pairs spread over several instance pairs (both sides started more than once) average
/// the instances' offsets, so the spread that remains shrinks: by Σ(nⱼ/n)², 1/k for k instance pairs with equal shares.
/// </summary>
public static class PairedComparison
{
    /// <param name="logRatios">Each pair's log(candidate / baseline).</param>
    /// <param name="policy">Threshold, α and the fewest pairs that decide.</param>
    /// <param name="budgetSpent">No more pairs can be had: an undecided comparison is inconclusive.</param>
    /// <param name="disturbance">Why the machine was disturbed while the pairs ran, or <see langword="null"/> when it was quiet.</param>
    /// <param name="instanceOfPair">Which instance pair each log ratio was measured on; <see langword="null"/>: all on one.</param>
    public static ComparisonJudgement Judge(IReadOnlyList<double> logRatios, ComparisonPolicy policy, bool budgetSpent, string? disturbance = null, IReadOnlyList<int>? instanceOfPair = null)
    {
        ArgumentNullException.ThrowIfNull(logRatios);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validated();
        if (instanceOfPair is not null && instanceOfPair.Count != logRatios.Count)
        {
            throw new ArgumentException($"{instanceOfPair.Count} instances given for {logRatios.Count} pairs; name one for each pair", nameof(instanceOfPair));
        }

        if (logRatios.Any(r => !double.IsFinite(r)))
        {
            throw new ArgumentException("every pair's log ratio must be a finite number (a block's median was 0 or missing)", nameof(logRatios));
        }

        var n = logRatios.Count;
        var mean = n == 0 ? 0 : logRatios.Average();
        var run = Interval(logRatios, mean, policy.Alpha, instanceSpread: 0);
        var instances = instanceOfPair?.Distinct().Count() ?? 1;
        var remainingSpread = policy.InstanceSpread * Math.Sqrt(ShareOfOneInstance(instanceOfPair));
        var (low, high, p) = Interval(logRatios, mean, policy.DifferenceAlpha, remainingSpread);
        var delta = Math.Log(1 + policy.Threshold);
        var verdict = n < policy.MinPairs ? ComparisonVerdict.NeedMoreData
            : low > 0 && mean >= delta ? ComparisonVerdict.Worse
            : high < 0 && mean <= -delta ? ComparisonVerdict.Better
            : run.Low > -delta && run.High < delta ? ComparisonVerdict.Same
            : ComparisonVerdict.NeedMoreData;
        string? caveat = null;
        if (disturbance is not null && verdict is ComparisonVerdict.Worse or ComparisonVerdict.Better)
        {
            (verdict, caveat) = (ComparisonVerdict.NeedMoreData, $"would be {verdict.ToString().ToLowerInvariant()}, but the machine was disturbed: {disturbance}");
        }

        if (verdict == ComparisonVerdict.NeedMoreData && budgetSpent)
        {
            verdict = ComparisonVerdict.Inconclusive;
        }

        return new ComparisonJudgement { Verdict = verdict, Ratio = Math.Exp(mean), Low = Math.Exp(low), High = Math.Exp(high), RunLow = Math.Exp(run.Low), RunHigh = Math.Exp(run.High), P = p, Pairs = n, InstancePairs = Math.Max(1, instances), Policy = policy, Caveat = caveat };
    }

    /// <summary>Σ(nⱼ/n)² over the instance pairs: how much of one instance pair's spread is left in the mean of pairs
    /// drawn from several (1 for one; 1/k for k with equal shares).</summary>
    internal static double ShareOfOneInstance(IReadOnlyList<int>? instanceOfPair) =>
        instanceOfPair is not { Count: > 0 } ? 1 : instanceOfPair.GroupBy(i => i).Sum(g => Math.Pow((double)g.Count() / instanceOfPair.Count, 2));

    /// <summary>A Student t with this many degrees of freedom is the normal distribution to every digit that matters.</summary>
    private const double ManyDegrees = 1e5;

    /// <summary>
    /// The mean log ratio's 1 − 2α interval and the one-sided p in the mean's direction, the pairs' own scatter widened
    /// by <paramref name="instanceSpread"/> (the sd of a run's mean log ratio between instance pairs, known from A/A
    /// runs, so it costs no degrees of freedom: Welch–Satterthwaite). Fewer than two pairs have an unbounded interval;
    /// pairs that all agree exactly, with no spread, have a point interval (p 0, or 1 for no change).
    /// </summary>
    private static (double Low, double High, double P) Interval(IReadOnlyList<double> logRatios, double mean, double alpha, double instanceSpread)
    {
        var n = logRatios.Count;
        if (n < 2)
        {
            return (double.NegativeInfinity, double.PositiveInfinity, 1);
        }

        var withinVariance = logRatios.Sum(r => (r - mean) * (r - mean)) / (n - 1) / n;
        var totalVariance = withinVariance + (instanceSpread * instanceSpread);
        if (totalVariance == 0)
        {
            return (mean, mean, mean == 0 ? 1 : 0);
        }

        var degrees = withinVariance == 0 ? ManyDegrees : Math.Min(ManyDegrees, totalVariance * totalVariance / (withinVariance * withinVariance / (n - 1)));
        var student = new StudentDistribution(degrees);
        var standardError = Math.Sqrt(totalVariance);
        var margin = student.Quantile(1 - alpha) * standardError;
        return (mean - margin, mean + margin, 1 - student.Cdf(Math.Abs(mean) / standardError));
    }
}
