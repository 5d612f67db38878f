using System.Globalization;

namespace TestBench.Harness.Judging.Comparison;

/// <summary>A paired comparison's verdict with what it rests on: the candidate/baseline ratio (the geometric mean of the
/// pairs' ratios), its interval, the one-sided p in the ratio's direction, the number of pairs and the threshold.</summary>
public sealed record ComparisonJudgement
{
    public required ComparisonVerdict Verdict { get; init; }

    /// <summary>Candidate over baseline: 1.10 is a candidate 10 % slower.</summary>
    public required double Ratio { get; init; }

    /// <summary>The lower end of the ratio's 1 − 2α interval.</summary>
    public required double Low { get; init; }

    /// <summary>The upper end of the ratio's 1 − 2α interval.</summary>
    public required double High { get; init; }

    /// <summary>The lower end of the interval of this run's pairs alone (<see cref="Low"/> without the instance spread).</summary>
    public double RunLow { get; init; }

    /// <summary>The upper end of the interval of this run's pairs alone.</summary>
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

    /// <summary><c>worse: ratio 1.102 (98 % CI 1.071–1.134), p = 0.0004, 12 pairs, threshold 5 %</c>.</summary>
    public string Describe()
    {
        var verdict = Words(Verdict);
        if (Pairs == 0)
        {
            return $"{verdict}: no pair judged" + (Caveat is null ? "" : $"; {Caveat}");
        }

        var confidence = (1 - (2 * Policy.Alpha)).ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
        var interval = Policy.InstanceSpread > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{confidence} CI {RunLow:0.000}–{RunHigh:0.000} in this run, {Low:0.000}–{High:0.000} with the instance spread of {Policy.InstanceSpread * 100:0.#} %{(InstancePairs > 1 ? $" over {InstancePairs} instance pairs" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"{confidence} CI {Low:0.000}–{High:0.000}");
        return string.Create(CultureInfo.InvariantCulture, $"{verdict}: ratio {Ratio:0.000} ({interval}), p = {P:0.####}, {Pairs} pairs, threshold {Policy.Threshold * 100:0.#} %")
            + (Caveat is null ? "" : $"; {Caveat}");
    }
}
