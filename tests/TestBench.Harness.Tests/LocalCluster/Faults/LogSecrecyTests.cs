using System.Net;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Tests.Builders;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>Whatever a request carries, the key is never in the cluster's log; per-request lines only when asked for.</summary>
public sealed class LogSecrecyTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("testbench-log-secrecy-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task Requests_KeyInQueryHeaderAndPath_NeverLoggedEvenAtTrace()
    {
        var log = new ListLoggerProvider();
        await using var cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(data) with { LogLevel = LogLevel.Trace, LoggerProvider = log }, CancellationToken.None);
        var key = cluster.UserKeys["alice"];
        using var http = new HttpClient { BaseAddress = cluster.Address };

        using (var inQuery = await http.GetAsync($"v1/data/?api_key={key}"))
        {
            inQuery.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using (var inHeader = new HttpRequestMessage(HttpMethod.Get, "v1/data/") { Headers = { { "Authorization", $"Simple {key}" } } })
        using (var answered = await http.SendAsync(inHeader))
        {
            answered.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var inPath = new HttpRequestMessage(HttpMethod.Get, $"v1/data/alice/{key}") { Headers = { { "Authorization", "Simple wrong" } } })
        using (var refused = await http.SendAsync(inPath))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        log.Logger.Lines.Should().Contain(line => line.Contains("GET /v1/data/", StringComparison.Ordinal), "request lines are on at Trace");
        log.Logger.Text.Should().NotContain(key);
    }

    [Fact]
    public async Task Requests_AtInformation_WriteNoPerRequestLines()
    {
        var log = new ListLoggerProvider();
        await using var cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(data) with { LogLevel = LogLevel.Information, LoggerProvider = log }, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = cluster.Address };
        var before = log.Logger.Lines.Count;

        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync("health");
        }

        log.Logger.Lines.Skip(before).Should().BeEmpty("at the default levels a busy cluster's log does not grow with its calls");
    }
}
