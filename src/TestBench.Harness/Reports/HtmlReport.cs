using System.Globalization;
using System.Net;
using System.Text;
using TestBench.Harness.Benchmark;
using TestBench.Harness.Ratchet;

namespace TestBench.Harness.Reports;

/// <summary>
/// A self-contained HTML report of a run (inline SVG, no scripts, no external assets, well-formed XHTML so
/// tools can parse it): per workflow and test, the measurement against its bar and a latency plot; and,
/// when earlier results are given, the p50 history of each test.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "testbench-report.html";

    private const int Width = 420;

    /// <param name="measurements">This run's measurements.</param>
    /// <param name="bars">The verified bars by workflow, then test.</param>
    /// <param name="history">Earlier runs' measurements, oldest first.</param>
    public static string Render(IReadOnlyList<Measurement> measurements, IReadOnlyDictionary<string, IReadOnlyDictionary<string, Bar>> bars, IReadOnlyList<IReadOnlyList<Measurement>> history)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(history);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8" /><title>TestBench report</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
            th:first-child,td:first-child{text-align:left}.fail{color:#b00}.ok{color:#070}</style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>TestBench report</h1><p>{measurements.Count} test(s); {measurements.Count(m => !m.Succeeded)} with failed calls; {measurements.Count(m => m.Verdict == RatchetVerdict.Failed)} worse than their bar.</p>");
        foreach (var workflow in measurements.GroupBy(m => m.Workflow))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(workflow.Key)}</h2><table><tr><th>test</th><th>calls</th><th>errors</th><th>calls/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>bar ms</th><th>against the bar</th><th>latency</th><th>p50 history</th></tr>");
            var workflowBars = bars.GetValueOrDefault(workflow.Key);
            foreach (var m in workflow)
            {
                var bar = workflowBars?.GetValueOrDefault(m.Test);
                var load = m.Load;
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr class=\"{(m.Succeeded && m.Verdict != RatchetVerdict.Failed ? "ok" : "fail")}\" data-test=\"{Encode(m.Test)}\"><td>{Encode(m.Test)}</td><td>{load.Calls}</td><td>{load.Errors}</td><td>{load.Throughput:0.0}</td>"
                    + $"<td>{load.P50 * 1000:0.00}</td><td>{load.P95 * 1000:0.00}</td><td>{load.P99 * 1000:0.00}</td><td>{Ceilings(bar)}</td><td>{Encode(SummaryTable.Describe(m.Verdict))}</td>"
                    + $"<td>{LatencyPlot(load, bar)}</td><td>{HistoryPlot(history.Select(run => run.FirstOrDefault(h => h.Workflow == m.Workflow && h.Test == m.Test)?.Load.P50).Append(load.P50).ToArray())}</td></tr>");
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>\n").ToString();
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

    /// <summary>A line of p50 over runs (missing runs are skipped).</summary>
    private static string HistoryPlot(double?[] p50s)
    {
        var points = p50s.Select((v, i) => (v, i)).Where(p => p.v is not null).ToArray();
        var top = points.Length == 0 ? 0 : points.Max(p => p.v!.Value);
        var step = p50s.Length <= 1 ? 0 : 120.0 / (p50s.Length - 1);
        var line = string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.i * step:0.0},{(top <= 0 ? 30 : 30 - p.v!.Value / top * 28):0.0}")));
        var range = points.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{points[0].v!.Value * 1000:0.00} → {points[^1].v!.Value * 1000:0.00} ms");
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"history\" width=\"124\" height=\"44\" role=\"img\"><title>p50 over {points.Length} run(s)</title><polyline points=\"{line}\" fill=\"none\" stroke=\"#36c\" /><text x=\"0\" y=\"42\" font-size=\"10\">{range}</text></svg>";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
