using System.Globalization;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace TestBench.Harness.Judging.Comparison;

/// <summary>
/// Tells when a comparison's budget cannot decide it, so it may end early as inconclusive instead of spending minutes
/// on pairs that change nothing (with two busy loops beside a run, every test ran its 2 minutes to an inconclusive).
/// Futile means both of these, projected to the most pairs the budget can still reach at the pace so far:
/// <list type="bullet">
/// <item><b>same is out of reach</b>: even with the pairs' scatter at the low end of what they show (its lower 1 − α
/// confidence bound), this run's interval at that many pairs would be wider than ±δ, so no ratio could be called same;</item>
/// <item><b>no difference is in sight</b>: if the ratio so far held, worse (or better) would still not be shown at that
/// many pairs — the ratio is within the threshold, or its interval for a difference would still cover 1.</item>
/// </list>
/// A futility stop only ever ends a comparison <i>undecided</i>, earlier than its budget would: it cannot add a worse
/// or a better, so it cannot add a false alarm; it can only forgo a verdict the later pairs might have reached, which is
/// why it waits for <see cref="ComparisonBudget.FutilityFromPairs"/> pairs, judges the scatter by its lower bound, and
/// never stops a comparison whose pairs could still call it same.
/// </summary>
public static class Futility
{
    /// <summary>Why the comparison cannot be decided within its budget, or <see langword="null"/> when it still can.</summary>
    /// <param name="logRatios">Each pair's log(candidate / baseline), as judged.</param>
    /// <param name="policy">The policy the pairs are judged by (its looks set).</param>
    /// <param name="reachablePairs">The most pairs the budget can still reach at the pace so far.</param>
    /// <param name="instanceOfPair">Which instance pair each log ratio was measured on; <see langword="null"/>: all on one.</param>
    public static string? Reason(IReadOnlyList<double> logRatios, ComparisonPolicy policy, int reachablePairs, IReadOnlyList<int>? instanceOfPair = null)
    {
        ArgumentNullException.ThrowIfNull(logRatios);
        ArgumentNullException.ThrowIfNull(policy);
        var n = logRatios.Count;
        if (n < 3 || reachablePairs < 2)
        {
            return null;
        }

        var mean = logRatios.Average();
        var sd = Math.Sqrt(logRatios.Sum(r => (r - mean) * (r - mean)) / (n - 1));
        var scatter = sd * Math.Sqrt((n - 1) / ChiSquaredQuantile(1 - policy.Alpha, n - 1));
        var pairs = Math.Max(n, reachablePairs);
        var delta = Math.Log(1 + policy.Threshold);
        var sameHalfWidth = new StudentDistribution(pairs - 1).Quantile(1 - policy.Alpha) * scatter / Math.Sqrt(pairs);
        if (sameHalfWidth < delta)
        {
            return null;
        }

        var spread = policy.InstanceSpread * Math.Sqrt(PairedComparison.ShareOfOneInstance(instanceOfPair));
        var differenceHalfWidth = new StudentDistribution(pairs - 1).Quantile(1 - policy.DifferenceAlpha) * Math.Sqrt((scatter * scatter / pairs) + (spread * spread));
        if (Math.Abs(mean) >= delta && Math.Abs(mean) > differenceHalfWidth)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"the pairs scatter too much for the budget (a pair's log ratio by an sd of {sd:0.000}): at the {pairs} pairs it can reach, this run's interval would still be ±{(Math.Exp(sameHalfWidth) - 1) * 100:0.#} %, wider than the ±{policy.Threshold * 100:0.#} % threshold, and the ratio so far, {Math.Exp(mean):0.000}, is no difference they could show, so the comparison ended at {n} pairs");
    }

    /// <summary>The <paramref name="p"/> quantile of χ² with <paramref name="degrees"/> degrees of freedom, by the
    /// Wilson–Hilferty cube (within 1 % of the exact value from 3 degrees up, which is all a stopping rule needs).</summary>
    internal static double ChiSquaredQuantile(double p, int degrees)
    {
        var z = new StudentDistribution(1e5).Quantile(p);
        var k = (double)degrees;
        var cube = 1 - (2 / (9 * k)) + (z * Math.Sqrt(2 / (9 * k)));
        return k * cube * cube * cube;
    }
}
