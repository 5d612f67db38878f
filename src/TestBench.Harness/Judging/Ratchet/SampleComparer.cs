using Perfolizer;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// Compares a run's sample of one measure with its reference sample, with Perfolizer's Mann-Whitney U against the
/// reference shifted by the practical threshold (a relative change of its median, with an absolute floor):
/// worse/better when the run is significantly beyond the shifted reference; same when two one-sided tests show it
/// within both shifts (TOST; Perfolizer's <c>SimpleEquivalenceTest</c> calls any non-significant pair
/// "indistinguishable", which would end adaptive trials before anything was shown); otherwise undecided. The effect's confidence interval is a percentile
/// bootstrap of the ratio of medians (Perfolizer 0.3.17 has no interval for a ratio), seeded so a verdict is
/// reproducible from the same samples.
/// </summary>
public static class SampleComparer
{
    private const int BootstrapResamples = 500;

    /// <summary>Larger samples are thinned for the bootstrap (evenly spaced order statistics), which only widens the interval.</summary>
    private const int BootstrapMaxSize = 2000;

    /// <summary>
    /// Larger samples are thinned the same way for the Mann-Whitney test: Perfolizer 0.3.17 answers NaN (or 0) once
    /// n·m·(n+m+1) passes the range of an <see cref="int"/> (e.g. 3000 vs 1000 values), so both sides stay at 1000.
    /// </summary>
    private const int MannWhitneyMaxSize = 1000;

    /// <param name="measure">The measure's name, e.g. <c>latency p50</c>.</param>
    /// <param name="unit">Its unit, e.g. <c>ms</c>.</param>
    /// <param name="reference">The bar's sample.</param>
    /// <param name="current">The run's sample.</param>
    /// <param name="higherIsWorse">True for latencies, false for throughput.</param>
    /// <param name="relativeThreshold">The smallest relative change that matters, e.g. 0.1.</param>
    /// <param name="absoluteFloor">The smallest absolute change that matters, in the samples' unit (0 for none).</param>
    /// <param name="alpha">The significance level of each one-sided test.</param>
    /// <param name="minSize">Fewer values on either side are <see cref="MeasureChange.Undecided"/>.</param>
    public static MeasureComparison Compare(string measure, string unit, IReadOnlyList<double> reference, IReadOnlyList<double> current,
        bool higherIsWorse, double relativeThreshold, double absoluteFloor, double alpha, int minSize)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfZero(reference.Count);
        ArgumentOutOfRangeException.ThrowIfZero(current.Count);
        var x = new Sample([.. ReferenceSample.Thin(current, MannWhitneyMaxSize)]);
        var y = new Sample([.. ReferenceSample.Thin(reference, MannWhitneyMaxSize)]);
        var referenceMedian = NoiseGuard.Median(reference);
        var currentMedian = NoiseGuard.Median(current);
        var effect = Ratio(currentMedian, referenceMedian) - 1;
        var shift = Math.Max(relativeThreshold * referenceMedian, absoluteFloor);
        var change = current.Count < minSize || reference.Count < minSize
            ? MeasureChange.Undecided
            : Decide(x, y + shift, y - shift, alpha) switch
            {
                MeasureChange.Worse => higherIsWorse ? MeasureChange.Worse : MeasureChange.Better,
                MeasureChange.Better => higherIsWorse ? MeasureChange.Better : MeasureChange.Worse,
                var other => other,
            };
        var direction = currentMedian >= referenceMedian ? AlternativeHypothesis.Greater : AlternativeHypothesis.Less;
        var (low, high) = EffectInterval(reference, current);
        return new MeasureComparison
        {
            Measure = measure,
            Unit = unit,
            Change = change,
            ReferenceMedian = referenceMedian,
            CurrentMedian = currentMedian,
            Effect = effect,
            EffectLow = low,
            EffectHigh = high,
            PValue = MannWhitneyTest.Instance.Perform(x, y, direction, Threshold.Zero).PValue,
            CurrentSize = current.Count,
            ReferenceSize = reference.Count,
            Threshold = absoluteFloor > 0 ? $"{relativeThreshold:P0} and {absoluteFloor:0.###} {unit}" : $"{relativeThreshold:P0}",
        };
    }

    /// <summary>Worse means higher here; the caller turns it around for measures where higher is better.</summary>
    private static MeasureChange Decide(Sample current, Sample upper, Sample lower, double alpha)
    {
        bool Significant(Sample reference, AlternativeHypothesis alternative) =>
            MannWhitneyTest.Instance.Perform(current, reference, alternative, Threshold.Zero).PValue < alpha;
        return Significant(upper, AlternativeHypothesis.Greater) ? MeasureChange.Worse
            : Significant(lower, AlternativeHypothesis.Less) ? MeasureChange.Better
            : Significant(upper, AlternativeHypothesis.Less) && Significant(lower, AlternativeHypothesis.Greater) ? MeasureChange.Same
            : MeasureChange.Undecided;
    }

    /// <summary>The 2.5th and 97.5th percentiles of the bootstrapped ratio of medians, minus one.</summary>
    private static (double Low, double High) EffectInterval(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var y = ReferenceSample.Thin(reference, BootstrapMaxSize).ToArray();
        var x = ReferenceSample.Thin(current, BootstrapMaxSize).ToArray();
        var random = new Random(20261122);
        var ratios = new double[BootstrapResamples];
        var xs = new double[x.Length];
        var ys = new double[y.Length];
        for (var i = 0; i < BootstrapResamples; i++)
        {
            for (var j = 0; j < xs.Length; j++)
            {
                xs[j] = x[random.Next(x.Length)];
            }

            for (var j = 0; j < ys.Length; j++)
            {
                ys[j] = y[random.Next(y.Length)];
            }

            ratios[i] = Ratio(NoiseGuard.Median(xs), NoiseGuard.Median(ys));
        }

        Array.Sort(ratios);
        return (ratios[(int)(0.025 * BootstrapResamples)] - 1, ratios[(int)(0.975 * BootstrapResamples) - 1] - 1);
    }

    private static double Ratio(double current, double reference) => reference > 0 ? current / reference : current > 0 ? double.PositiveInfinity : 1;
}
