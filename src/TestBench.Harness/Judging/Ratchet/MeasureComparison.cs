using System.Globalization;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// One measure of a run against its reference: the change found, the effect (ratio of medians, current over
/// reference) with its 95 % confidence interval, the Mann-Whitney p-value of any shift, and the sample sizes.
/// </summary>
public sealed record MeasureComparison
{
    /// <summary>E.g. <c>latency p50</c> or <c>throughput</c>.</summary>
    public required string Measure { get; init; }

    /// <summary>E.g. <c>ms</c> or <c>calls/s</c>.</summary>
    public required string Unit { get; init; }

    public required MeasureChange Change { get; init; }

    public required double ReferenceMedian { get; init; }

    public required double CurrentMedian { get; init; }

    /// <summary>Median over median, minus one: +0.23 for 23 % higher.</summary>
    public required double Effect { get; init; }

    public required double EffectLow { get; init; }

    public required double EffectHigh { get; init; }

    /// <summary>Mann-Whitney, one-sided in the direction of the effect, no threshold.</summary>
    public required double PValue { get; init; }

    public required int CurrentSize { get; init; }

    public required int ReferenceSize { get; init; }

    /// <summary>The practical threshold the change had to exceed, e.g. <c>10 % and 0.2 ms</c>.</summary>
    public required string Threshold { get; init; }

    /// <summary>E.g. <c>latency p50 +23 % [+15 %, +31 %] (1.85 → 2.28 ms), p = 0.0004, 40 vs 40 samples</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Measure} {Percent(Effect)} [{Percent(EffectLow)}, {Percent(EffectHigh)}] ({ReferenceMedian:0.###} → {CurrentMedian:0.###} {Unit}), "
        + $"p = {(PValue < 0.0001 ? "< 0.0001" : PValue.ToString("0.0000", CultureInfo.InvariantCulture))}, {CurrentSize} vs {ReferenceSize} samples");

    private static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{(ratio >= 0 ? "+" : "−")}{Math.Abs(ratio) * 100:0.#} %");
}
