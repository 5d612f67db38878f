using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.LangServer;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.LangServer;

/// <summary>The standalone LangServer over real HTTP on 127.0.0.1 with a real Python worker.</summary>
public sealed class LangServerHostTests : IAsyncLifetime
{
    private readonly AlgorithmWorkspace workspace = AlgorithmWorkspace.Copy("toolbox");
    private readonly HttpClient http = new();
    private LangServerHost host = null!;

    public async Task InitializeAsync()
    {
        host = await LangServerHost.StartAsync(
            new LangServerOptions { AlgorithmDirectory = workspace.Directory, Python = AlgorithmWorkspace.Python, Runtime = new RuntimeOptions { MaxConcurrency = 1, MaxQueueLength = 1 } },
            CancellationToken.None);
        http.BaseAddress = host.Address;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await host.DisposeAsync();
        workspace.Dispose();
    }

    [Fact]
    public async Task Post_Text_ReturnsTextResult()
    {
        var body = await PostAsync(new StringContent("Algorithmia", Encoding.UTF8, "text/plain"));

        body.GetProperty("result").GetString().Should().Be("text:Algorithmia");
        body.GetProperty("metadata").GetProperty("content_type").GetString().Should().Be("text");
        body.GetProperty("metadata").GetProperty("duration").GetDouble().Should().BePositive();
    }

    [Fact]
    public async Task Post_Json_ReturnsJsonResult()
    {
        var body = await PostAsync(new StringContent("""{"op":"echo","value":{"b":[1,2.5,null],"a":"x"}}""", Encoding.UTF8, "application/json"));

        body.GetProperty("result").GetRawText().Should().Be("""{"b": [1, 2.5, null], "a": "x"}""".Replace(" ", "", StringComparison.Ordinal));
        body.GetProperty("metadata").GetProperty("content_type").GetString().Should().Be("json");
    }

    [Fact]
    public async Task Post_Binary_ReturnsBase64Result()
    {
        var content = new ByteArrayContent([1, 2, 3, 255]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var body = await PostAsync(content);

        Convert.FromBase64String(body.GetProperty("result").GetString()!).Should().Equal(255, 3, 2, 1);
        body.GetProperty("metadata").GetProperty("content_type").GetString().Should().Be("binary");
    }

    [Fact]
    public async Task Post_AlgorithmError_Answers200WithErrorShape()
    {
        var body = await PostAsync(new StringContent("""{"op":"raise","value":7}""", Encoding.UTF8, "application/json"));

        var error = body.GetProperty("error");
        error.GetProperty("message").GetString().Should().Be("bad input: 7");
        error.GetProperty("error_type").GetString().Should().Be("InputError");
        error.GetProperty("stacktrace").GetString().Should().Contain("raise InputError");
        body.GetProperty("metadata").TryGetProperty("content_type", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Post_Stdout_IsReturnedOnlyWhenAsked()
    {
        var quiet = await PostAsync(new StringContent("""{"op":"print"}""", Encoding.UTF8, "application/json"));
        var verbose = await PostAsync(new StringContent("""{"op":"print"}""", Encoding.UTF8, "application/json"), "?stdout=True");

        quiet.GetProperty("metadata").TryGetProperty("stdout", out _).Should().BeFalse();
        verbose.GetProperty("metadata").GetProperty("stdout").GetString().Should().Contain("to stdout").And.Contain("to stderr");
    }

    [Theory]
    [InlineData("image/png", "unsupported Content-Type 'image/png'")]
    [InlineData("application/json", "the body is not valid JSON")]
    public async Task Post_BadRequest_Answers400NamingTheProblem(string contentType, string problem)
    {
        using var response = await http.PostAsync("/", new StringContent("Not a string", Encoding.UTF8, contentType));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(problem).And.Contain("\"error_type\":\"SystemError\"");
    }

    [Fact]
    public async Task Post_BadTimeout_Answers400()
    {
        using var response = await http.PostAsync("/?timeout=3001", new StringContent("x", Encoding.UTF8, "text/plain"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("query 'timeout' is '3001'");
    }

    [Fact]
    public async Task Post_QueueFull_Answers429()
    {
        var slow = Enumerable.Range(0, 2).Select(_ => http.PostAsync("/", Json("""{"op":"sleep","seconds":2}"""))).ToArray();
        await Eventually.HoldsAsync(() => host.Pool.Running == 1 && host.Pool.Queued == 1, "one slow call should run and one wait");

        using var rejected = await http.PostAsync("/", Json("""{"op":"pid"}"""));

        rejected.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        foreach (var response in await Task.WhenAll(slow))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Dispose();
        }
    }

    [Fact]
    public async Task Post_Timeout_Answers504WithTimeoutError()
    {
        using var response = await http.PostAsync("/?timeout=1", Json("""{"op":"sleep","seconds":30}"""));

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"error_type\":\"TimeoutError\"");
    }

    [Fact]
    public async Task HealthAndMetrics_AfterACall_ReportTheAlgorithm()
    {
        await PostAsync(Json("""{"op":"pid"}"""));

        var health = await http.GetStringAsync("/health");
        var metrics = await http.GetStringAsync("/metrics");

        health.Should().Contain("LangServer alive.");
        metrics.Should().Contain("testbench_algorithm_calls_total{algorithm=\"toolbox\"} 1")
            .And.Contain("testbench_algorithm_duration_seconds_count{algorithm=\"toolbox\"} 1")
            .And.Contain("testbench_algorithm_queue_length{algorithm=\"toolbox\"} 0");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> PostAsync(HttpContent content, string query = "")
    {
        using var response = await http.PostAsync("/" + query, content);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
