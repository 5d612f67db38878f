using System.Globalization;
using System.Net;
using System.Text;

namespace TestBench.Harness.Reporting;

/// <summary>
/// A comparison run's section of the report: a forest plot, one line per compared test — the candidate/baseline ratio
/// as a dot, its interval as a bar, the practical threshold as a shaded band around 1 — beside the numbers and the
/// verdict. The axis is logarithmic, so 0.8 and 1.25 sit equally far from 1.
/// </summary>
public static class ComparisonForest
{
    private const int Width = 320;
    private const int Height = 22;

    public static string Render(IReadOnlyList<ComparisonMeasurement> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (comparisons.Count == 0)
        {
            return "";
        }

        // The axis spans every finite interval end and the widest threshold band, at least ±10 % and at most 4× either way:
        // one test's interval from a handful of pairs must not squash every other line into the middle.
        var ends = comparisons.SelectMany(c => new[] { c.RatioLow, c.RatioHigh, c.Ratio, 1 + c.Threshold, 1 / (1 + c.Threshold) }).OfType<double>().Where(double.IsFinite).Select(ratio => Math.Log(ratio)).ToArray();
        var reach = Math.Clamp(ends.Max(Math.Abs), Math.Log(1.1), Math.Log(4)) * 1.1;
        double X(double ratio) => Width * (0.5 + (Math.Clamp(Math.Log(ratio), -reach, reach) / (2 * reach)));

        var html = new StringBuilder("<h2>Candidate against baseline</h2><p>Each line is one test: the dot is the candidate's median latency over the baseline's (the geometric mean of paired blocks), the bar its interval, the shaded band the practical threshold. Right of 1 is slower.</p>");
        html.Append("<table class=\"comparisons\"><tr><th>workflow</th><th>test</th><th>compared on</th><th>ratio</th><th>interval</th><th>p</th><th>pairs</th><th>verdict</th><th>candidate / baseline</th></tr>");
        foreach (var c in comparisons)
        {
            var verdict = Judging.Comparison.ComparisonJudgement.Words(c.Verdict);
            var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(c.Sentence)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"threshold\" x=\"{X(1 / (1 + c.Threshold)):0.#}\" y=\"0\" width=\"{X(1 + c.Threshold) - X(1 / (1 + c.Threshold)):0.#}\" height=\"{Height}\" fill=\"#eee\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(1):0.#}\" y1=\"0\" x2=\"{X(1):0.#}\" y2=\"{Height}\" stroke=\"#999\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"interval\" x1=\"{X(c.RatioLow ?? Math.Exp(-reach)):0.#}\" y1=\"{Height / 2}\" x2=\"{X(c.RatioHigh ?? Math.Exp(reach)):0.#}\" y2=\"{Height / 2}\" stroke=\"#333\" stroke-width=\"2\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"ratio\" cx=\"{X(c.Ratio):0.#}\" cy=\"{Height / 2}\" r=\"4\" fill=\"{(c.Verdict == Judging.Comparison.ComparisonVerdict.Worse ? "#b00" : "#333")}\" /></svg>");
            var interval = c.RatioLow is { } low && c.RatioHigh is { } high ? string.Create(CultureInfo.InvariantCulture, $"{low:0.000}–{high:0.000}") : "unbounded";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr class=\"{(c.Verdict == Judging.Comparison.ComparisonVerdict.Worse ? "fail" : "")}\" data-test=\"{Encode(c.Test)}\"><td>{Encode(c.Workflow)}</td><td>{Encode(c.Test)}</td><td>{Encode(c.Target)}</td><td>{c.Ratio:0.000}</td><td>{interval}</td><td>{c.P:0.####}</td><td>{c.Pairs.Count}</td>"
                + $"<td>{Encode(verdict)}<div class=\"why\">{Encode(c.Sentence)}</div></td><td>{svg}</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
