using System.Xml;
using System.Xml.Linq;
using FluentAssertions;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class HtmlReportTests
{
    private static readonly XNamespace Html = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_Measurements_HasARowAndPlotsForEveryTest()
    {
        var measurements = new[] { Measurement("wf", "fast <one>", 0.010), Measurement("wf", "slow", 0.200), Measurement("other", "t", 0.050) };
        var bars = new Dictionary<string, IReadOnlyDictionary<string, Bar>>
        {
            ["wf"] = new Dictionary<string, Bar> { ["slow"] = new() { SuccessRate = 1, P50Ms = 100, P95Ms = 150, P99Ms = 180, ThroughputFloor = 1 } },
        };
        var history = new IReadOnlyList<Measurement>[] { [Measurement("wf", "slow", 0.300)], [Measurement("wf", "slow", 0.250)] };

        var document = Parse(HtmlReport.Render(measurements, bars, history));

        var rows = document.Descendants(Html + "tr").Where(r => r.Attribute("data-test") is not null).ToArray();
        rows.Select(r => r.Attribute("data-test")!.Value).Should().Equal("fast <one>", "slow", "t");
        rows.Should().OnlyContain(r => r.Descendants(Svg + "svg").Count() == 2);
        rows[1].Descendants(Svg + "line").Should().ContainSingle("the bar's p99 ceiling is drawn where there is a bar");
        rows[0].Descendants(Svg + "line").Should().BeEmpty();
        rows[1].Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ').Should().HaveCount(3, "two earlier runs and this one");
        document.Descendants(Html + "script").Should().BeEmpty();
        document.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href").Should().BeEmpty("the report is self-contained");
    }

    [Fact]
    public void Render_TestWorseThanItsBar_IsMarkedFailedAndCounted()
    {
        var measurements = new[] { Measurement("wf", "slow", 0.200) with { Judgement = Measurements.Verdict(RatchetVerdict.Regressed) }, Measurement("wf", "fine", 0.010) with { Judgement = Measurements.Verdict(RatchetVerdict.Same) } };

        var document = Parse(HtmlReport.Render(measurements, new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), []));

        var rows = document.Descendants(Html + "tr").Where(r => r.Attribute("data-test") is not null).ToArray();
        rows.Select(r => r.Attribute("class")!.Value).Should().Equal("fail", "ok");
        rows[0].Value.Should().Contain("REGRESSED").And.Contain("regressed because the test said so");
        document.Descendants(Html + "p").First().Value.Should().Be("2 benchmarked test(s); 0 with failed calls; 1 regressed; 0 improved; 0 inconclusive.");
    }

    [Fact]
    public void Render_HistoryAgainstBar_DrawsTheBandAndMarksRegressionsNoiseAndRaises()
    {
        var reference = new ReferenceSample { LatencyMs = [9, 10, 11], Trials = 3, Calls = 3, MeasuredAt = DateTimeOffset.UnixEpoch, Machine = "m" };
        var bars = new Dictionary<string, IReadOnlyDictionary<string, Bar>>
        {
            ["wf"] = new Dictionary<string, Bar> { ["t"] = new() { SuccessRate = 1, P50Ms = 12, Reference = reference } },
        };
        var history = new IReadOnlyList<Measurement>[]
        {
            [Measurement("wf", "t", 0.020) with { Judgement = Measurements.Verdict(RatchetVerdict.Regressed) }],
            [Measurement("wf", "t", 0.015) with { Judgement = Measurements.Verdict(RatchetVerdict.Inconclusive, noiseGuarded: true) }],
            [Measurement("wf", "t", 0.008) with { Judgement = Measurements.Verdict(RatchetVerdict.Improved) }],
        };

        var document = Parse(HtmlReport.Render([Measurement("wf", "t", 0.010) with { Judgement = Measurements.Verdict(RatchetVerdict.Same) }], bars, history));

        var plot = document.Descendants(Svg + "svg").Single(e => e.Attribute("class")?.Value == "history");
        plot.Elements(Svg + "rect").Single().Element(Svg + "title")!.Value.Should().Be("bar: 10–11 ms", "the reference median up to 10 % above it");
        plot.Elements(Svg + "circle").Select(c => c.Attribute("class")!.Value).Should().Equal("regressed", "noisy", "raised", "run");
    }

    [Fact]
    public void Render_RunThroughAnUnfitBuild_WarnsAtTheTop()
    {
        var measurements = new[] { Measurement("wf", "t", 0.010) with { Caveats = ["the harness is coverage-instrumented: its timings are not the platform's"] } };

        var document = Parse(HtmlReport.Render(measurements, new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), []));

        document.Descendants(Html + "p").Where(p => p.Attribute("class")?.Value.Contains("caveat", StringComparison.Ordinal) == true).Select(p => p.Value)
            .Should().Equal("Warning: the harness is coverage-instrumented: its timings are not the platform's.");
    }

    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [Fact]
    public void Render_LoadTest_PlotsItsTimelineAndPercentileDistribution()
    {
        var histogram = new TestBench.Harness.Histograms.LatencyHistogram();
        foreach (var microseconds in Enumerable.Range(1, 300))
        {
            histogram.Record(microseconds * 10);
        }

        var load = Measurement("wf", "steady", 0.001) with
        {
            Load = Measurement("wf", "steady", 0.001).Load with
            {
                Histogram = histogram,
                Timeline = [new LoadSecond(0, 100, 0, 0, 0, 1, 2), new LoadSecond(1, 90, 1, 5, 4, 1.5, 900), new LoadSecond(2, 100, 0, 0, 0, 1, 2)],
            },
        };

        var document = Parse(HtmlReport.Render([load, Measurement("wf", "single", 0.001)], new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), []));

        var loadRow = document.Descendants(Html + "tr").Should().ContainSingle(r => r.Attribute("data-load") != null).Subject;
        loadRow.Attribute("data-load")!.Value.Should().Be("steady");
        var timeline = loadRow.Descendants(Svg + "svg").Single(svg => svg.Attribute("class")!.Value == "timeline");
        timeline.Elements(Svg + "rect").Count(r => r.Attribute("class")!.Value == "rate").Should().Be(3);
        timeline.Elements(Svg + "rect").Should().ContainSingle(r => r.Attribute("class")!.Value == "failed", "only second 1 had errors, 429s or drops");
        timeline.Elements(Svg + "polyline").Select(p => p.Attribute("class")!.Value).Should().Equal("p50", "p99");
        var percentiles = loadRow.Descendants(Svg + "svg").Single(svg => svg.Attribute("class")!.Value == "percentiles");
        percentiles.Element(Svg + "title")!.Value.Should().Be("latency by percentile, 300 calls");
        percentiles.Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Render_RunWithProblems_ShowsOutagesFailedAndUnfinishedCasesAndLeftoversFirst()
    {
        var failed = new CaseRecord { Name = "wf › 200 calls", Workflow = "wf", Stage = "benchmark", Target = "racetrack", Outcome = CaseOutcome.Failed, Reason = "200 of 200 calls failed <refused>", StartedAt = DateTimeOffset.UnixEpoch, Seconds = 2.25 };
        var unfinished = new CaseRecord { Name = "wf › soak", Workflow = "wf", Stage = "benchmark", Target = "local", StartedAt = DateTimeOffset.UnixEpoch };
        var outage = new TargetOutage("racetrack", "wf › 200 calls", "The racetrack target at http://127.0.0.1:9/ gave no answer to GET /api/v1/job: refused.", DateTimeOffset.UnixEpoch);
        var leftover = new Leftover("racetrack", "wf", ["wf-1a2b 1.0.0"], "not attempted", Leftover.CleanupCommand("wf", "racetrack"));

        var document = Parse(HtmlReport.Render([Measurement("wf", "basic", 0.010)], new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), [], problems: new RunProblems([failed, unfinished], [outage], [leftover])));

        var body = document.Descendants(Html + "body").Single();
        var heading = body.Descendants(Html + "h2").First();
        heading.Value.Should().Be("What went wrong", "problems come before the measurements");
        body.Descendants(Html + "p").Single(p => p.Attribute("class")?.Value == "outage fail").Value
            .Should().Be("The racetrack target stopped answering during 'wf › 200 calls': The racetrack target at http://127.0.0.1:9/ gave no answer to GET /api/v1/job: refused.");
        var rows = body.Descendants(Html + "table").Single(t => t.Attribute("class")?.Value == "failed-cases").Elements(Html + "tr").Skip(1)
            .Select(r => string.Join(" | ", r.Elements(Html + "td").Select(td => td.Value))).ToArray();
        rows.Should().Equal("wf › 200 calls | racetrack | failed | 2.3 | 200 of 200 calls failed <refused>", "wf › soak | local | unfinished |  | the run stopped during it");
        body.Descendants(Html + "p").Single(p => p.Attribute("class")?.Value == "leftover fail").Value.Should().Contain("wf-1a2b 1.0.0").And.Contain("Stage=Cleanup&Target=racetrack");
    }

    [Fact]
    public void Render_RunWithoutProblems_HasNoProblemSection()
    {
        var document = Parse(HtmlReport.Render([Measurement("wf", "basic", 0.010)], new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), [], problems: RunProblems.None));

        document.Descendants(Html + "h2").Select(h => h.Value).Should().NotContain("What went wrong");
    }

    [Fact]
    public void Render_Comparisons_AForestPlotWithTheThresholdBandAndOneLinePerTest()
    {
        var slower = Compared("slow test", 1.20, 1.12, 1.29, ComparisonVerdict.Worse);
        var same = Compared("same test", 0.99, 0.96, 1.02, ComparisonVerdict.Same);

        var document = Parse(HtmlReport.Render([], new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), [], comparisons: [slower, same]));

        var rows = document.Descendants(Html + "table").Single(t => t.Attribute("class")?.Value == "comparisons").Elements(Html + "tr").Skip(1).ToArray();
        rows.Select(r => r.Attribute("data-test")!.Value).Should().Equal("slow test", "same test");
        rows[0].Attribute("class")!.Value.Should().Be("fail");
        double Dot(XElement row) => double.Parse(row.Descendants(Svg + "circle").Single().Attribute("cx")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        double One(XElement row) => double.Parse(row.Descendants(Svg + "line").First().Attribute("x1")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Dot(rows[0]).Should().BeGreaterThan(One(rows[0]), "slower is right of 1");
        Dot(rows[1]).Should().BeLessThan(One(rows[1]));
        rows.Should().OnlyContain(r => r.Descendants(Svg + "rect").Count() == 1, "the threshold band");
    }

    [Fact]
    public void Render_Comparisons_AnIntervalOfAFewPairsReachingFarDoesNotSquashTheOtherLines()
    {
        var wild = Compared("rate test", 4.04, 0.015, 1095, ComparisonVerdict.Inconclusive);
        var slower = Compared("slow test", 1.20, 1.12, 1.29, ComparisonVerdict.Worse);

        var document = Parse(HtmlReport.Render([], new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), [], comparisons: [wild, slower]));

        var row = document.Descendants(Html + "table").Single(t => t.Attribute("class")?.Value == "comparisons").Elements(Html + "tr").Single(r => r.Attribute("data-test")?.Value == "slow test");
        var dot = double.Parse(row.Descendants(Svg + "circle").Single().Attribute("cx")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var one = double.Parse(row.Descendants(Svg + "line").First().Attribute("x1")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        (dot - one).Should().BeGreaterThan(10, "the axis reaches at most 4× either way, so a 20 % slowdown stays visibly right of 1");
    }

    [Fact]
    public void SummaryTable_Comparisons_OneRowEachWithRatioIntervalPairsAndVerdict()
    {
        var text = SummaryTable.RenderComparisons([Compared("basic test", 1.20, 1.12, 1.29, ComparisonVerdict.Worse)]);

        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.RegularExpressions.Regex.Replace(l, " {2,}", " | ")).Should().Equal(
            "workflow | test | compared on | candidate/baseline | interval | p | pairs | verdict",
            "wf | basic test | local | 1.200 | 1.120–1.290 | 0.001 | 2 | worse");
    }

    private static ComparisonMeasurement Compared(string test, double ratio, double low, double high, ComparisonVerdict verdict) => new()
    {
        Workflow = "wf",
        Test = test,
        Target = "local",
        Verdict = verdict,
        Ratio = ratio,
        RatioLow = low,
        RatioHigh = high,
        P = 0.001,
        Threshold = 0.05,
        Alpha = 0.01,
        Sentence = $"{verdict.ToString().ToLowerInvariant()}: ratio {ratio}",
        Pairs = [new(true, 1, ratio, 100, 100), new(false, 1, ratio, 100, 100)],
        Seconds = 3,
        At = DateTimeOffset.UnixEpoch,
    };

    private static Measurement Measurement(string workflow, string test, double p50) =>
        Measurements.Of(workflow, test, new LoadResultBuilder().WithLatencies(p50, p50 * 1.3, p50 * 1.5).WithThroughput(5).WithCalls(10).Build());
}
