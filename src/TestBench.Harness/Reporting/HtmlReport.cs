using System.Globalization;
using System.Net;
using System.Text;
using TestBench.Harness.Judging;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;

namespace TestBench.Harness.Reporting;

/// <summary>
/// A self-contained HTML report of a run (inline SVG, no scripts, no external assets, well-formed XHTML so
/// tools can parse it): per workflow and test, the measurement, its verdict with the reasons, a latency plot;
/// and the p50 history of each test against its bar's band (the reference median up to the practical threshold),
/// with regressions, noise-guarded runs and raises marked; each workflow's export measures with their verdicts. Under a load test, its second-by-second timeline and its
/// percentile distribution (<see cref="LoadPlots"/>).
/// </summary>
public static class HtmlReport
{
    public const string FileName = "testbench-report.html";

    private const int Width = 420;

    /// <param name="measurements">This run's measurements.</param>
    /// <param name="bars">The verified bars by bars name (<see cref="ApprovalFiles.BarsName"/>), then test.</param>
    /// <param name="history">Earlier runs' measurements, oldest first.</param>
    /// <param name="policy">The practical thresholds the band shows; <value>default <see cref="VerdictPolicy"/>'s</value>.</param>
    /// <param name="exports">This run's export measures; <value>default none</value>.</param>
    /// <param name="problems">Failed and unfinished cases, targets that went down, clean-up leftovers: shown first.</param>
    /// <param name="comparisons">A comparison run's compared tests (<see cref="ComparisonForest"/>); <value>default none</value>.</param>
    public static string Render(IReadOnlyList<Measurement> measurements, IReadOnlyDictionary<string, IReadOnlyDictionary<string, Bar>> bars, IReadOnlyList<IReadOnlyList<Measurement>> history, VerdictPolicy? policy = null, IReadOnlyList<ExportMeasurement>? exports = null, RunProblems? problems = null, IReadOnlyList<ComparisonMeasurement>? comparisons = null)
    {
        policy ??= new VerdictPolicy();
        exports ??= [];
        problems ??= RunProblems.None;
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(history);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8" /><title>TestBench report</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
            th:first-child,td:first-child{text-align:left}.fail{color:#b00}.ok{color:#070}.noisy{color:#b60}.why{font-size:80%;color:#555;text-align:left;max-width:40em}</style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>TestBench report</h1><p class=\"headline\">{Encode(SummaryTable.Headline(measurements))}.</p>");
        foreach (var caveat in SummaryTable.Caveats(measurements))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"caveat fail\">Warning: {Encode(caveat)}.</p>");
        }

        html.Append(ProblemsSection(problems));
        html.Append(ComparisonForest.Render(comparisons ?? []));

        // The same test on several targets: rows side by side, a target column says which is which.
        var severalTargets = measurements.Select(m => m.Target).Concat(exports.Select(e => e.Target)).Distinct().Count() > 1;
        foreach (var workflowName in exports.Select(e => e.Workflow).Where(w => measurements.All(m => m.Workflow != w)).Distinct())
        {
            // A workflow whose exports were measured and whose tests were not (its target went down, say).
            html.Append(ExportTable(exports.Where(e => e.Workflow == workflowName), severalTargets));
        }

        foreach (var workflow in measurements.GroupBy(m => m.Workflow))
        {
            html.Append(ExportTable(exports.Where(e => e.Workflow == workflow.Key), severalTargets));
            html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(workflow.Key)}</h2><table><tr><th>test</th>{(severalTargets ? "<th>target</th>" : "")}<th>calls</th><th>errors</th><th>calls/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>bar ms</th><th>verdict</th><th>latency</th><th>p50 history against the bar</th></tr>");
            foreach (var m in severalTargets ? workflow.OrderBy(m => m.Test, StringComparer.Ordinal).ThenBy(m => m.Target, StringComparer.Ordinal) : workflow.AsEnumerable())
            {
                var bar = bars.GetValueOrDefault(ApprovalFiles.BarsName(m.Workflow, m.Target))?.GetValueOrDefault(m.Test);
                var load = m.Load;
                var runs = history.Select(run => run.FirstOrDefault(h => h.Workflow == m.Workflow && h.Test == m.Test && h.Target == m.Target)).Append(m).ToArray();
                var reasons = string.Join("<br />", (m.Judgement?.Reasons ?? []).Select(Encode));
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr class=\"{RowClass(m)}\" data-test=\"{Encode(m.Test)}\"><td>{Encode(m.Test)}</td>{(severalTargets ? $"<td>{Encode(m.Target)}</td>" : "")}<td>{load.Calls}</td><td>{load.Errors}</td><td>{load.Throughput:0.0}</td>"
                    + $"<td>{load.P50 * 1000:0.00}</td><td>{load.P95 * 1000:0.00}</td><td>{load.P99 * 1000:0.00}</td><td>{Ceilings(bar)}</td>"
                    + $"<td>{Encode(SummaryTable.Describe(m.Judgement))}<div class=\"why\">{reasons}</div></td>"
                    + $"<td>{LatencyPlot(load, bar)}</td><td>{HistoryPlot(runs, Band(bar, policy))}</td></tr>");
                html.Append(LoadRow(m));
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>The export measures of a workflow's algorithms, each with its verdict and why; nothing without exports.</summary>
    private static string ExportTable(IEnumerable<ExportMeasurement> exports, bool severalTargets)
    {
        var rows = exports.SelectMany(e => e.Measures.Select(m =>
            $"<tr class=\"{(m.Verdict == RatchetVerdict.Regressed ? "fail" : m.NoiseGuarded ? "noisy" : "ok")}\" data-export=\"{Encode(e.Algorithm)}\"><td>{Encode(e.Algorithm)}</td>{(severalTargets ? $"<td>{Encode(e.Target)}</td>" : "")}<td>{Encode(m.Name)}</td>"
            + string.Create(CultureInfo.InvariantCulture, $"<td>{m.Value:0.###} {Encode(m.Unit)}</td>")
            + $"<td>{Encode(SummaryTable.Describe(m.Verdict, m.NoiseGuarded))}<div class=\"why\">{Encode(m.Reason)}</div></td></tr>")).ToArray();
        return rows.Length == 0 ? "" : $"<table class=\"exports\"><tr><th>export of</th>{(severalTargets ? "<th>target</th>" : "")}<th>measure</th><th>value</th><th>verdict</th></tr>{string.Concat(rows)}</table><p></p>";
    }

    /// <summary>A row under a load test: its timeline (two seconds or more) and percentile distribution (100 calls or more).</summary>
    private static string LoadRow(Measurement m)
    {
        var timeline = m.Load.Timeline.Count > 0 ? LoadPlots.Timeline(m.Load.Timeline) : "";
        var distribution = m.Load.Histogram is { TotalCount: >= 100 } histogram ? LoadPlots.PercentileDistribution(histogram) : "";
        return timeline.Length + distribution.Length == 0
            ? ""
            : $"<tr class=\"load\" data-load=\"{Encode(m.Test)}\"><td colspan=\"11\">{timeline} {distribution}</td></tr>";
    }

    /// <summary>The bar's latency ceilings, e.g. <c>p50 ≤ 1.20, p95 ≤ 3.40</c>; a dash without a bar.</summary>
    private static string Ceilings(Bar? bar) => bar is null
        ? "–"
        : string.Join(", ", new[] { ("p50", (double?)bar.P50Ms), ("p95", bar.P95Ms), ("p99", bar.P99Ms) }
            .Where(c => c.Item2 is not null)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Item1} ≤ {c.Item2:0.00}")));

    /// <summary>The highest percentile the bar holds, in seconds: the line drawn on the latency plot.</summary>
    private static double TopCeiling(Bar bar) => (bar.P99Ms ?? bar.P95Ms ?? bar.P50Ms) / 1000;

    /// <summary>Horizontal bars for p50/p90/p95/p99/max on one scale, with the bar's highest ceiling as a line.</summary>
    private static string LatencyPlot(LoadResult load, Bar? bar)
    {
        var values = new[] { ("p50", load.P50), ("p90", load.P90), ("p95", load.P95), ("p99", load.P99), ("max", load.Max) };
        var scale = Math.Max(load.Max, bar is null ? 0 : TopCeiling(bar));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"latency\" width=\"{Width}\" height=\"{values.Length * 14 + 4}\" role=\"img\"><title>latency distribution</title>");
        for (var i = 0; i < values.Length; i++)
        {
            var (name, seconds) = values[i];
            var length = scale <= 0 ? 0 : seconds / scale * (Width - 120);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{i * 14 + 12}\" font-size=\"10\">{name}</text><rect x=\"30\" y=\"{i * 14 + 3}\" width=\"{length:0.0}\" height=\"10\" fill=\"#4a7\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{length + 34:0.0}\" y=\"{i * 14 + 12}\" font-size=\"10\">{seconds * 1000:0.00} ms</text>");
        }

        if (bar is not null && scale > 0)
        {
            var x = 30 + TopCeiling(bar) / scale * (Width - 120);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"bar\" x1=\"{x:0.0}\" x2=\"{x:0.0}\" y1=\"0\" y2=\"{values.Length * 14 + 4}\" stroke=\"#b00\" />");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string RowClass(Measurement m) => !m.Succeeded || m.Verdict == RatchetVerdict.Regressed ? "fail" : m.Judgement?.NoiseGuarded == true ? "noisy" : "ok";

    /// <summary>The bar's band in ms: its reference median up to the test's practical threshold above it (as the judge
    /// computes it); none without a reference.</summary>
    private static (double Low, double High)? Band(Bar? bar, VerdictPolicy policy)
    {
        if (bar?.Reference is not { } reference)
        {
            return null;
        }

        var median = NoiseGuard.Median(reference.LatencyMs);
        return (median, median + Math.Max(median * policy.LatencyThresholdOf(bar), policy.LatencyFloorMs));
    }

    /// <summary>
    /// p50 over runs (missing runs skipped) over the bar's band; each run is a dot coloured by its verdict: red
    /// regressed, orange inconclusive on a noisy machine, green improved (a raise proposed), blue otherwise.
    /// </summary>
    private static string HistoryPlot(Measurement?[] runs, (double Low, double High)? band)
    {
        const double Height = 30, Left = 2, Span = 120;
        var points = runs.Select((m, i) => (m, i)).Where(p => p.m is not null).Select(p => (Ms: p.m!.Load.P50 * 1000, p.i, Run: p.m!)).ToArray();
        var top = Math.Max(points.Length == 0 ? 0 : points.Max(p => p.Ms), band?.High ?? 0) * 1.1;
        var step = runs.Length <= 1 ? 0 : Span / (runs.Length - 1);
        double Y(double ms) => top <= 0 ? Height : Height - ms / top * (Height - 2);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"history\" width=\"{Span + 6}\" height=\"46\" role=\"img\"><title>p50 over {points.Length} run(s)</title>");
        if (band is var (low, high))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"band\" x=\"{Left}\" y=\"{Y(high):0.0}\" width=\"{Span}\" height=\"{Math.Max(0.5, Y(low) - Y(high)):0.0}\" fill=\"#dde8f6\"><title>bar: {low:0.###}–{high:0.###} ms</title></rect>");
        }

        var line = string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Left + p.i * step:0.0},{Y(p.Ms):0.0}")));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{line}\" fill=\"none\" stroke=\"#36c\" />");
        foreach (var (ms, i, run) in points)
        {
            var (mark, colour) = run.Verdict switch
            {
                RatchetVerdict.Regressed => ("regressed", "#c00"),
                RatchetVerdict.Improved => ("raised", "#090"),
                RatchetVerdict.Inconclusive when run.Judgement!.NoiseGuarded => ("noisy", "#e80"),
                _ => ("run", "#36c"),
            };
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"{mark}\" cx=\"{Left + i * step:0.0}\" cy=\"{Y(ms):0.0}\" r=\"{(mark == "run" ? 1.5 : 3)}\" fill=\"{colour}\"><title>{mark}: {ms:0.00} ms</title></circle>");
        }

        var range = points.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{points[0].Ms:0.00} → {points[^1].Ms:0.00} ms");
        return svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"44\" font-size=\"10\">{range}</text></svg>").ToString();
    }

    /// <summary>Cases that failed or never finished with their reasons, targets that went down, clean-up leftovers.</summary>
    private static string ProblemsSection(RunProblems problems)
    {
        if (!problems.Any)
        {
            return "";
        }

        var html = new StringBuilder("<h2 class=\"fail\">What went wrong</h2>");
        if (!problems.RunEnded)
        {
            html.Append("<p class=\"unended fail\">This run did not end: its test host stopped (killed, cancelled or out of time) during the cases marked unfinished. Everything it recorded until then is below.</p>");
        }

        foreach (var outage in problems.Outages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"outage fail\">{Encode(outage.Headline())}</p>");
        }

        if (problems.FailedCases.Count > 0)
        {
            html.Append("<table class=\"failed-cases\"><tr><th>case</th><th>target</th><th>outcome</th><th>s</th><th>why</th></tr>");
            foreach (var failed in problems.FailedCases)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(failed.Name)}</td><td>{Encode(failed.Target)}</td><td class=\"fail\">{failed.Outcome.ToString().ToLowerInvariant()}</td><td>{failed.Seconds:0.0}</td><td class=\"why\">{Encode(failed.Reason ?? "the run stopped during it")}</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var leftover in problems.Leftovers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"leftover fail\">Left behind: {Encode(leftover.Describe())}</p>");
        }

        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
