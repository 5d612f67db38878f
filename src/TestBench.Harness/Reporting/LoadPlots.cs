using System.Globalization;
using System.Text;
using TestBench.Harness.Histograms;
using TestBench.Harness.Measuring;

namespace TestBench.Harness.Reporting;

/// <summary>
/// The report's plots of one load test, as inline SVG: second by second (successful calls per second as bars, p50 and
/// p99 as lines, seconds with errors, 429s or dropped calls marked), and the percentile distribution on HdrHistogram's
/// axes (latency over 1/(1 − percentile), logarithmic, so the tail is as wide as the body).
/// </summary>
internal static class LoadPlots
{
    private const double Width = 420, Height = 120, Left = 40, Bottom = 16;

    public static string Timeline(IReadOnlyList<LoadSecond> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var plotWidth = Width - Left - 40;
        var slot = plotWidth / Math.Max(1, seconds.Count);
        var topRate = Math.Max(1, seconds.Max(s => s.Succeeded + s.Errors + s.Throttled + s.Dropped));
        var topMs = Math.Max(0.001, seconds.Max(s => s.P99Ms));
        double RateY(double rate) => Height - Bottom - (rate / topRate * (Height - Bottom - 16));
        double MsY(double ms) => Height - Bottom - (ms / topMs * (Height - Bottom - 16));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{Width}\" height=\"{Height}\" role=\"img\"><title>calls per second, p50 and p99 over {seconds.Count} s</title>"));
        foreach (var second in seconds)
        {
            var x = Left + (second.Second * slot);
            var failed = second.Errors + second.Throttled + second.Dropped;
            svg.Append(Invariant($"<rect class=\"rate\" x=\"{x:0.0}\" y=\"{RateY(second.Succeeded):0.0}\" width=\"{Math.Max(1, slot - 1):0.0}\" height=\"{Height - Bottom - RateY(second.Succeeded):0.0}\" fill=\"#cde3cd\"><title>second {second.Second}: {second.Succeeded} ok, {second.Errors} errors, {second.Throttled} throttled, {second.Dropped} dropped; p50 {second.P50Ms:0.###} ms, p99 {second.P99Ms:0.###} ms</title></rect>"));
            if (failed > 0)
            {
                svg.Append(Invariant($"<rect class=\"failed\" x=\"{x:0.0}\" y=\"{RateY(second.Succeeded + failed):0.0}\" width=\"{Math.Max(1, slot - 1):0.0}\" height=\"{RateY(second.Succeeded) - RateY(second.Succeeded + failed):0.0}\" fill=\"#e99\" />"));
            }
        }

        foreach (var (name, colour, pick) in new (string, string, Func<LoadSecond, double>)[] { ("p50", "#36c", s => s.P50Ms), ("p99", "#c60", s => s.P99Ms) })
        {
            var points = string.Join(' ', seconds.Select(s => Invariant($"{Left + (s.Second * slot) + (slot / 2):0.0},{MsY(pick(s)):0.0}")));
            svg.Append(Invariant($"<polyline class=\"{name}\" points=\"{points}\" fill=\"none\" stroke=\"{colour}\" />"));
        }

        svg.Append(Invariant($"<text x=\"0\" y=\"10\" font-size=\"9\" fill=\"#070\">{topRate}/s</text><text x=\"{Width - 38}\" y=\"10\" font-size=\"9\" fill=\"#c60\">{topMs:0.##} ms</text>"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Height - 3}\" font-size=\"9\">0 s</text><text x=\"{Left + plotWidth - 20:0.0}\" y=\"{Height - 3}\" font-size=\"9\">{seconds.Count} s</text>"));
        svg.Append(Invariant($"<text x=\"{Left + 40}\" y=\"10\" font-size=\"9\">bars: ok calls/s (red: failed) · blue p50 · orange p99</text>"));
        return svg.Append("</svg>").ToString();
    }

    public static string PercentileDistribution(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var rows = Histograms.PercentileDistribution.Rows(histogram).Where(r => r.Percentile < 100).ToArray();
        var decades = Math.Max(2, Math.Ceiling(Math.Log10(Math.Max(10, histogram.TotalCount))));
        var plotWidth = Width - Left - 30;
        var topMs = Math.Max(0.001, histogram.Max / 1000.0);
        double X(double percentile) => Left + (Math.Min(decades, Math.Log10(1 / (1 - (percentile / 100)))) / decades * plotWidth);
        double Y(double ms) => Height - Bottom - (ms / topMs * (Height - Bottom - 16));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"percentiles\" width=\"{Width}\" height=\"{Height}\" role=\"img\"><title>latency by percentile, {histogram.TotalCount} calls</title>"));
        var points = string.Join(' ', rows.Select(r => Invariant($"{X(r.Percentile):0.0},{Y(r.Value / 1000.0):0.0}")));
        svg.Append(Invariant($"<polyline class=\"distribution\" points=\"{points}\" fill=\"none\" stroke=\"#36c\" />"));
        for (var decade = 0; decade <= decades; decade++)
        {
            var label = decade == 0 ? "0 %" : Invariant($"{100 - (100 / Math.Pow(10, decade)):0.####} %");
            var x = Left + (decade / decades * plotWidth);
            svg.Append(Invariant($"<line x1=\"{x:0.0}\" x2=\"{x:0.0}\" y1=\"8\" y2=\"{Height - Bottom}\" stroke=\"#eee\" /><text x=\"{x:0.0}\" y=\"{Height - 3}\" font-size=\"9\" text-anchor=\"middle\">{label}</text>"));
        }

        svg.Append(Invariant($"<text x=\"0\" y=\"10\" font-size=\"9\">{topMs:0.##} ms</text><text x=\"0\" y=\"{Height - Bottom}\" font-size=\"9\">0</text>"));
        return svg.Append("</svg>").ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
