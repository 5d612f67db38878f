using System.Globalization;

namespace TestBench.Harness.Judging.Comparison;

/// <summary>A paired comparison's verdict with what it rests on: the candidate/baseline ratio (the geometric mean of the
/// pairs' ratios), its interval, the one-sided p in the ratio's direction, the number of pairs and the threshold.</summary>
public sealed record ComparisonJudgement
{
    public required ComparisonVerdict Verdict { get; init; }

    /// <summary>Candidate over baseline: 1.10 is a candidate 10 % slower.</summary>
    public required double Ratio { get; init; }

    /// <summary>The lower end of the interval worse and better rest on: 1 − 2α / looks, widened by the instance spread.</summary>
    public required double Low { get; init; }

    /// <summary>The upper end of the interval worse and better rest on.</summary>
    public required double High { get; init; }

    /// <summary>The lower end of the 1 − 2α interval of this run's pairs alone, with no instance spread: what same rests on.</summary>
    public double RunLow { get; init; }

    /// <summary>The upper end of the 1 − 2α interval of this run's pairs alone.</summary>
    public double RunHigh { get; init; }

    /// <summary>The one-sided p of no change, against the direction the ratio points.</summary>
    public required double P { get; init; }

    public required int Pairs { get; init; }

    /// <summary>How many instance pairs (a baseline and a candidate started together) the pairs were measured on. <value>1.</value></summary>
    public int InstancePairs { get; init; } = 1;

    public required ComparisonPolicy Policy { get; init; }

    /// <summary>Why it is not decided, when that is not the interval (a disturbed machine); otherwise <see langword="null"/>.</summary>
    public string? Caveat { get; init; }

    /// <summary>A verdict as the sentence and the tables say it: <c>worse</c>, <c>need more data</c>.</summary>
    public static string Words(ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.NeedMoreData => "need more data",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// <c>worse: ratio 1.102 (98% CI 1.071–1.134), p = 0.0004, 12 pairs, threshold 5 %</c>; with several looks or an
    /// instance spread, this run's own interval (what same rests on) and then the wider one worse and better rest on,
    /// with the p a look needs.
    /// </summary>
    public string Describe()
    {
        var verdict = Words(Verdict);
        if (Pairs == 0)
        {
            return $"{verdict}: no pair judged" + (Caveat is null ? "" : $"; {Caveat}");
        }

        var interval = Policy.InstanceSpread > 0 || Policy.Looks > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Confidence(Policy.Alpha)} CI {RunLow:0.000}–{RunHigh:0.000} in this run; {Confidence(Policy.DifferenceAlpha)} CI {Low:0.000}–{High:0.000}{SpreadWords()} for worse or better{LooksWords()}")
            : string.Create(CultureInfo.InvariantCulture, $"{Confidence(Policy.Alpha)} CI {Low:0.000}–{High:0.000}");
        var needed = Policy.Looks > 1 ? string.Create(CultureInfo.InvariantCulture, $" (≤ {Policy.DifferenceAlpha:0.#####} needed)") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{verdict}: ratio {Ratio:0.000} ({interval}), {PWords()}{needed}, {Pairs} pairs, threshold {Policy.Threshold * 100:0.#} %")
            + (Caveat is null ? "" : $"; {Caveat}");
    }

    /// <summary><c>p = 0.0078</c>; <c>p &lt; 0.0001</c> where four decimals would read 0.</summary>
    private string PWords() => P < 0.00005 ? "p < 0.0001" : string.Create(CultureInfo.InvariantCulture, $"p = {P:0.####}");

    private static string Confidence(double alpha) =>
        (1 - (2 * alpha)).ToString("0.##%", CultureInfo.InvariantCulture);

    private string SpreadWords() => Policy.InstanceSpread > 0
        ? string.Create(CultureInfo.InvariantCulture, $" with the instance spread of {Policy.InstanceSpread * 100:0.#} %{(InstancePairs > 1 ? $" over {InstancePairs} instance pairs" : "")}")
        : "";

    private string LooksWords() => Policy.Looks > 1 ? $" at one of up to {Policy.Looks} looks" : "";
}
