namespace TestBench.Harness.Judging.Comparison;

/// <summary>How a paired comparison decides: the smallest change that matters, the significance, and how few pairs it
/// may decide on.</summary>
public sealed record ComparisonPolicy
{
    /// <summary>The practical threshold, relative: a change smaller than this is "same". <value>0.05 (5 %).</value></summary>
    public double Threshold { get; init; } = 0.05;

    /// <summary>The significance level of each one-sided test (the interval is the 1 − 2α one). <value>0.01.</value></summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>
    /// How much a run's mean log ratio varies between instance pairs of identical sides (its sd), known from A/A runs:
    /// worse and better must clear it as well as the pairs' own scatter. Two embedded twins measured it at 0.012–0.027
    /// (docs/benchmarks.md); between two real clusters the instance difference is the answer, not noise.
    /// <value>0: none.</value>
    /// </summary>
    public double InstanceSpread { get; init; }

    /// <summary>The instance spread of two embedded twins on this kind of machine, measured: the largest per-test sd of a
    /// run's mean log ratio over 12 A/A runs was 0.027, the pooled 0.022. <value>0.025.</value></summary>
    public const double EmbeddedTwinsSpread = 0.025;

    /// <summary>Fewer pairs decide nothing. <value>5.</value></summary>
    public int MinPairs { get; init; } = 5;

    /// <summary>
    /// How many times the pairs may be judged before the comparison ends (<see cref="ComparisonBudget.MaxLooks"/>):
    /// <b>worse</b> and <b>better</b> are tested at <see cref="Alpha"/> / <see cref="Looks"/> at every look (Bonferroni),
    /// so that over all of a comparison's looks a false worse stays within α. Tested at α at each of 8 looks, an A/A
    /// comparison was judged worse in 1.8–4.4 % of simulated runs at the assumed instance spread (bench/ab-looks-sim.py). <b>Same</b> keeps α at every look:
    /// calling a change same too early costs power, which the power runs measure. <value>1: one look.</value>
    /// </summary>
    public int Looks { get; init; } = 1;

    /// <summary>The level worse and better are tested at in one look: <see cref="Alpha"/> / <see cref="Looks"/>.</summary>
    public double DifferenceAlpha => Alpha / Looks;

    /// <summary>Checks the values: a threshold in (0, 1), α in (0, 0.5), at least one look, at least 2 pairs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One is out of range; the message names it.</exception>
    public ComparisonPolicy Validated()
    {
        if (Threshold is <= 0 or >= 1 || double.IsNaN(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "the practical threshold must be a fraction between 0 and 1, e.g. 0.05");
        }

        if (Alpha is <= 0 or >= 0.5 || double.IsNaN(Alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "the significance must be between 0 and 0.5, e.g. 0.01");
        }

        if (InstanceSpread is < 0 or >= 1 || double.IsNaN(InstanceSpread))
        {
            throw new ArgumentOutOfRangeException(nameof(InstanceSpread), InstanceSpread, "the instance spread must be a log-ratio sd from 0 to below 1, e.g. 0.025");
        }

        if (Looks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Looks), Looks, "a comparison is judged at least once");
        }

        return MinPairs >= 2 ? this : throw new ArgumentOutOfRangeException(nameof(MinPairs), MinPairs, "at least 2 pairs are needed for an interval");
    }
}
