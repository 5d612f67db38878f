using TestBench.Harness.Export;
using TestBench.Harness.Measuring;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// Judges one export measure against its bar. An export runs once a run, so there is one value, no sample: a change is
/// decided by a practical threshold alone — worse or better by more than <see cref="RelativeThreshold"/> or the
/// measure's measured noise, whichever is larger (as a ratio, so a speed and a duration are judged alike), and by more
/// than the unit's absolute floor. A worse value on a
/// disturbed machine is inconclusive unless strict; a raise is proposed only from a quiet machine.
/// </summary>
public sealed class ExportJudge(VerdictPolicy policy)
{
    /// <summary>How much worse (or better) than its bar a value must be to count: 1.0 = twice as slow. Export steps
    /// (git, builds, first calls) vary far more run to run than warm calls do.</summary>
    public const double RelativeThreshold = 1.0;

    public ExportOutcome Judge(ExportBar? bar, ExportMeasure measure, NoiseReading noise, RunIdentity run)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(run);
        var measured = new ExportBar { Unit = measure.Unit, HigherIsBetter = measure.HigherIsBetter, Value = measure.Value, MeasuredAt = run.At, Commit = run.Commit, Machine = run.Machine };
        if (bar is null)
        {
            return new ExportOutcome(measure, RatchetVerdict.FirstBar, measured, $"{measure}: no bar yet, this value becomes the first one");
        }

        if (bar.Unit != measure.Unit || bar.HigherIsBetter != measure.HigherIsBetter)
        {
            return new ExportOutcome(measure, RatchetVerdict.FirstBar, measured, $"{measure}: the bar is in {bar.Unit}; this value replaces it");
        }

        var floor = FloorOf(measure.Unit);
        var relative = Math.Max(RelativeThreshold, bar.Noise ?? 0);
        var (worse, better) = measure.HigherIsBetter ? (bar.Value, measure.Value) : (measure.Value, bar.Value);
        var ratio = better <= 0 ? double.PositiveInfinity : worse / better;
        var change = FormattableString.Invariant($"{measure} against the bar's {bar.Value:0.###} {bar.Unit} ({Percent(measure.Value, bar.Value)})");
        var threshold = FormattableString.Invariant($"the practical threshold of {relative:P0} and {floor:0.###} {measure.Unit}");
        var beyond = Math.Abs(measure.Value - bar.Value) > floor;
        var warning = bar.Machine == run.Machine ? "" : $"; warning: the bar was measured on another machine ({bar.Machine})";
        if (ratio > 1 + relative && beyond)
        {
            if (!noise.Disturbed || policy.Strict)
            {
                return new ExportOutcome(measure, RatchetVerdict.Regressed, null, $"{change}: worse beyond {threshold}{warning}");
            }

            return new ExportOutcome(measure, RatchetVerdict.Inconclusive, null, $"inconclusive: machine noisy ({noise.Describe()}); would be regressed: {change}{warning}") { NoiseGuarded = true };
        }

        if (1 / ratio > 1 + relative && beyond && !noise.Disturbed)
        {
            return new ExportOutcome(measure, RatchetVerdict.Improved, measured with { Noise = bar.Noise }, $"{change}: better beyond {threshold}{warning}");
        }

        return new ExportOutcome(measure, RatchetVerdict.Same, null, $"{change}: within {threshold}{warning}");
    }

    /// <summary>
    /// The smallest absolute change that counts: 2 s for step durations (the build is seen done by a poll every 0.5 s,
    /// so a build reads in steps of half a second), none for speeds, and 200 ms for first
    /// calls — the first call of a run also carries one-time costs of the test host and the embedded cluster (a new
    /// connection, first compiles), 100–190 ms on the 2-core machines measured, which are not the platform's.
    /// </summary>
    public static double FloorOf(string unit) => unit switch
    {
        "s" => 2,
        "ms" => 200,
        _ => 0,
    };

    private static string Percent(double value, double reference) => reference == 0 ? "new" : FormattableString.Invariant($"{(value - reference) / reference:+0.#%;−0.#%;±0%}");
}

/// <summary>How one export measure compared with its bar, the raised or first bar to propose, and why.</summary>
public sealed record ExportOutcome(ExportMeasure Measure, RatchetVerdict Verdict, ExportBar? Proposed, string Reason)
{
    public bool NoiseGuarded { get; init; }
}
