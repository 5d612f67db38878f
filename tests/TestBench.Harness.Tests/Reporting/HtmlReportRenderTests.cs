using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Playwright;
using TestBench.Harness.Configuration;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

/// <summary>
/// The report as people see it: rendered by Debian's <c>chromium</c>, driven by Playwright (no browser download),
/// with a full-page screenshot attached to the test run.
/// </summary>
public sealed class HtmlReportRenderTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Evaluated in the loaded page: what was rendered, measured by the browser's own layout.</summary>
    private const string Rendered = """
        ({
          title: document.title,
          tests: [...document.querySelectorAll('tr[data-test]')].map(r => r.dataset.test),
          plots: document.querySelectorAll('svg').length,
          drawnPlots: [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0 && s.getBoundingClientRect().height > 0).length,
          bars: document.querySelectorAll('svg line.bar').length,
          text: document.body.innerText
        })
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("testbench-report-render-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [SkippableFact]
    public async Task Report_InHeadlessChromium_LoadsCleanAndDrawsEveryTest()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does) to render the report.");
        var measurements = new[]
        {
            Measurement("image_benchmark", "40 calls in 5 min", 0.180, RatchetVerdict.Same),
            Measurement("hello_world", "200 calls from 4 callers", 0.002, RatchetVerdict.Improved),
            Measurement("hello_world", "basic <test> & more", 0.001, null),
        };
        var bars = new Dictionary<string, IReadOnlyDictionary<string, Bar>>
        {
            ["image_benchmark"] = new Dictionary<string, Bar> { ["40 calls in 5 min"] = new() { SuccessRate = 1, P50Ms = 200, P95Ms = 260, P99Ms = 300, ThroughputFloor = 4 } },
        };
        var history = new IReadOnlyList<Measurement>[] { [Measurement("image_benchmark", "40 calls in 5 min", 0.250, RatchetVerdict.FirstBar)] };
        var report = Path.Combine(directory, HtmlReport.FileName);
        await File.WriteAllTextAsync(report, HtmlReport.Render(measurements, bars, history));

        using var playwright = await Playwright.CreateAsync();
        // Flags for a closed machine: no sandbox (root), no GPU, none of the background connections to Google.
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var complaints = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                complaints.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => complaints.Add($"script error: {error}");
        page.RequestFailed += (_, request) => complaints.Add($"request failed: {request.Url} ({request.Failure})");
        page.Request += (_, request) => requests.Add(request.Url);

        var response = await page.GotoAsync(new Uri(report).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        var value = JsonNode.Parse((await page.EvaluateAsync<JsonElement>(Rendered)).GetRawText())!;
        var screenshot = Path.Combine(directory, "testbench-report.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        RunAttachments.Attach(screenshot, EnvironmentVariables.Process);

        response!.Ok.Should().BeTrue();
        complaints.Should().BeEmpty();
        requests.Should().Equal([new Uri(report).AbsoluteUri], "the report is self-contained: no other request");
        value["title"]!.GetValue<string>().Should().Be("TestBench report");
        value["tests"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("40 calls in 5 min", "200 calls from 4 callers", "basic <test> & more");
        value["plots"]!.GetValue<int>().Should().Be(6, "a latency plot and a history plot per test");
        value["drawnPlots"]!.GetValue<int>().Should().Be(6, "every plot takes up space on the page");
        value["bars"]!.GetValue<int>().Should().Be(1, "only image_benchmark has a verified bar");
        value["text"]!.GetValue<string>().Should().Contain("raised").And.Contain("not judged: calls failed");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000, "the screenshot shows the drawn report");
    }

    private static Measurement Measurement(string workflow, string test, double p50, RatchetVerdict? verdict) =>
        Measurements.Of(workflow, test, new LoadResultBuilder().WithLatencies(p50, p50 * 1.4, p50 * 2).WithThroughput(1 / p50).WithCalls(40, failed: verdict is null ? 1 : 0).Build(), verdict);
}
