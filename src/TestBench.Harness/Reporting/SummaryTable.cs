using System.Globalization;
using System.Text;
using TestBench.Harness.Judging.Ratchet;

namespace TestBench.Harness.Reporting;

/// <summary>
/// The plain-text table printed at the end of a run: one row per benchmarked test with its counts, throughput,
/// latency percentiles and how it compared with its bar. Columns are padded to their widest cell. A run on several
/// targets gets a target column, and each test's rows side by side.
/// </summary>
public static class SummaryTable
{
    private static readonly string[] Header = ["workflow", "test", "calls", "errors", "calls/s", "p50 ms", "p95 ms", "p99 ms", "verdict"];

    public static string Render(IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var severalTargets = measurements.Select(m => m.Target).Distinct().Count() > 1;
        var ordered = measurements.OrderBy(m => m.Workflow, StringComparer.Ordinal);
        var rows = severalTargets
            ? [WithTarget(Header, "target"), .. ordered.ThenBy(m => m.Test, StringComparer.Ordinal).ThenBy(m => m.Target, StringComparer.Ordinal).Select(m => WithTarget(Row(m), m.Target))]
            : new List<string[]> { Header }.Concat(ordered.Select(Row)).ToList();
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(r => r[column].Length)).ToArray();
        var names = severalTargets ? 3 : 2;
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            // Names align left, numbers right, so magnitudes line up.
            var cells = row.Select((cell, column) => column < names || column == row.Length - 1 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]));
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>The row with the target after the workflow and test.</summary>
    private static string[] WithTarget(string[] row, string target) => [row[0], row[1], target, .. row[2..]];

    /// <summary>The export measures, one row each: workflow, algorithm, measure, value and verdict; empty without exports.</summary>
    public static string RenderExports(IReadOnlyList<ExportMeasurement> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        if (exports.Count == 0)
        {
            return "";
        }

        var severalTargets = exports.Select(e => e.Target).Distinct().Count() > 1;
        string[][] rows =
        [
            ["workflow", "export of", .. severalTargets ? ["target"] : Array.Empty<string>(), "measure", "value", "verdict"],
            .. exports.OrderBy(e => e.Workflow, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal).SelectMany(e => e.Measures.Select(m => (string[])
            [
                e.Workflow, e.Algorithm, .. severalTargets ? [e.Target] : Array.Empty<string>(), m.Name, FormattableString.Invariant($"{m.Value:0.###} {m.Unit}"), Describe(m.Verdict, m.NoiseGuarded),
            ])),
        ];
        return Aligned(rows, rightAligned: [rows[0].Length - 2]);
    }

    /// <summary>The compared tests of a comparison run, one row each: candidate over baseline with its interval, p, pairs
    /// and verdict; empty without comparisons.</summary>
    public static string RenderComparisons(IReadOnlyList<ComparisonMeasurement> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (comparisons.Count == 0)
        {
            return "";
        }

        string[][] rows =
        [
            ["workflow", "test", "compared on", "candidate/baseline", "interval", "p", "pairs", "verdict"],
            .. comparisons.Select(c => (string[])
            [
                c.Workflow, c.Test, c.Target, FormattableString.Invariant($"{c.Ratio:0.000}"),
                c.RatioLow is { } low && c.RatioHigh is { } high ? FormattableString.Invariant($"{low:0.000}–{high:0.000}") : "unbounded",
                FormattableString.Invariant($"{c.P:0.####}"), FormattableString.Invariant($"{c.Pairs.Count}"),
                Judging.Comparison.ComparisonJudgement.Words(c.Verdict) + (c.Caveat is null ? "" : " (machine disturbed)"),
            ]),
        ];
        return Aligned(rows, rightAligned: [3, 5, 6]);
    }

    /// <summary>Rows as a table of columns two spaces apart; the columns <paramref name="rightAligned"/> are padded on the left.</summary>
    private static string Aligned(string[][] rows, int[] rightAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(r => r[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => rightAligned.Contains(column) ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))).TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>The run's one-line headline, shared by the console summary and the HTML report.</summary>
    public static string Headline(IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var noisy = measurements.Count(m => m.Judgement?.NoiseGuarded == true);
        var inconclusive = measurements.Count(m => m.Verdict == RatchetVerdict.Inconclusive);
        return $"{measurements.Count} benchmarked test(s); {measurements.Count(m => !m.Succeeded)} with failed calls; "
            + $"{measurements.Count(m => m.Verdict == RatchetVerdict.Regressed)} regressed; {measurements.Count(m => m.Verdict == RatchetVerdict.Improved)} improved; "
            + $"{inconclusive} inconclusive" + (noisy > 0 ? $" ({noisy} on a noisy machine)" : "");
    }

    /// <summary>The run's distinct caveats (each a warning line under the headline), e.g. a Debug build on the measured path.</summary>
    public static IReadOnlyList<string> Caveats(IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        return [.. measurements.SelectMany(m => m.Caveats).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The verdict column's words; a failed call has no verdict.</summary>
    public static string Describe(Judgement? judgement) => judgement is null
        ? "not judged: calls failed"
        : judgement.Verdict == RatchetVerdict.Inconclusive && judgement.NoiseGuarded
            ? $"inconclusive: machine noisy ({judgement.Noise?.Describe()})"
            : Describe(judgement.Verdict, noiseGuarded: false);

    /// <summary>A verdict's words in the tables.</summary>
    public static string Describe(RatchetVerdict verdict, bool noiseGuarded) => verdict switch
    {
        RatchetVerdict.Same => "same",
        RatchetVerdict.Improved => "improved (raised bar written)",
        RatchetVerdict.FirstBar => "first bar (received file written)",
        RatchetVerdict.Regressed => "REGRESSED",
        RatchetVerdict.Inconclusive when noiseGuarded => "inconclusive: machine noisy",
        _ => "inconclusive",
    };

    private static string[] Row(Measurement m) =>
    [
        m.Workflow,
        m.Test,
        m.Load.Calls.ToString(CultureInfo.InvariantCulture),
        m.Load.Errors.ToString(CultureInfo.InvariantCulture),
        m.Load.Throughput.ToString("0.0", CultureInfo.InvariantCulture),
        Milliseconds(m.Load.P50),
        Milliseconds(m.Load.P95),
        Milliseconds(m.Load.P99),
        Describe(m.Judgement),
    ];

    private static string Milliseconds(double seconds) => (seconds * 1000).ToString("0.00", CultureInfo.InvariantCulture);
}
