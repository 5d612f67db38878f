using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Tests.LocalCluster.Wallaroo;
using TestBench.Harness.Wallaroo;
using Xunit;

namespace TestBench.Harness.Tests.Wallaroo;

/// <summary>The harness's Wallaroo client and orchestration packaging, against the embedded service.</summary>
public sealed class WallarooClientTests(WallarooApiTests.Service service) : IClassFixture<WallarooApiTests.Service>
{
    private static readonly string Algorithms = RepositoryLayout.Locate(AppContext.BaseDirectory, Environment.GetEnvironmentVariable).AlgorithmsDirectory;

    [Fact]
    public async Task TemplateAsOrchestration_RunOnce_PrintsApplysResultOnTheMarkerLine()
    {
        using var client = new WallarooClient(new WallarooConnection(service.Host.Address, service.Host.Token));
        var zip = OrchestrationPackage.FromTemplate(Path.Combine(Algorithms, "hello_world"), "hello_world");

        var orchestration = await client.UploadAsync(zip, "hello", 1, CancellationToken.None);
        await client.WaitUntilReadyAsync(orchestration, TimeSpan.FromMinutes(2), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var task = await client.RunOnceAsync(orchestration, "hello once", 1, new JsonObject { ["input"] = "Ann" }, 60, CancellationToken.None);
        var run = await client.WaitForRunAsync(task, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
        var logs = await client.LogsAsync(run.RunId, lines: null, CancellationToken.None);
        var result = OrchestrationPackage.ResultOf(logs, out var found);

        run.Status.Should().Be("success", string.Join('\n', logs));
        found.Should().BeTrue();
        result!.GetValue<string>().Should().Be("hello Ann");
        run.UpdatedAt.Should().BeOnOrAfter(run.CreatedAt);
    }

    [Fact]
    public async Task Errors_NameTheRouteAndCarryWallaroosWords_AndTheTokenIsNeverShown()
    {
        using var client = new WallarooClient(new WallarooConnection(service.Host.Address, service.Host.Token));
        using var wrongToken = new WallarooClient(new WallarooConnection(service.Host.Address, "not-the-token"));

        var unknown = () => client.RunOnceAsync("no-such-orchestration", "x", 1, [], 10, CancellationToken.None);
        var refused = () => wrongToken.LogsAsync("any", null, CancellationToken.None);

        (await unknown.Should().ThrowAsync<WallarooApiException>()).Which.Message.Should().Match("POST /v1/api/task/run_once on the wallaroo target at http://127.0.0.1:*/ answered HTTP 400: orch_id: no orchestration no-such-orchestration (tried once (*))");
        (await refused.Should().ThrowAsync<WallarooApiException>()).Which.Status.Should().Be(401);
        client.Connection.ToString().Should().NotContain(service.Host.Token);
    }

    [Fact]
    public void ResultOf_LogsWithoutTheMarker_SaysNotFound_AndTheLastMarkerWins()
    {
        string[] logs = ["2026-11-22T10:00:00.000000000Z stdout F TESTBENCH_RESULT 1", "2026-11-22T10:00:00.100000000Z stderr F warning", "2026-11-22T10:00:00.200000000Z stdout F TESTBENCH_RESULT {\"a\": 2}"];

        OrchestrationPackage.ResultOf(logs, out var found)!.ToJsonString().Should().Be("""{"a":2}""");
        found.Should().BeTrue();
        OrchestrationPackage.ResultOf(logs[1..2], out var none).Should().BeNull();
        none.Should().BeFalse();
    }

    [Fact]
    public void StartOf_IsTheFirstLinesNanosecondTimestamp_OrNullWithoutOne()
    {
        string[] logs = ["2026-11-22T10:00:00.123456789Z stdout F TESTBENCH_STARTED", "2026-11-22T10:00:01.000000000Z stdout F later"];

        OrchestrationPackage.StartOf(logs).Should().Be(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        OrchestrationPackage.StartOf(["2026-11-22T10:00:05Z stderr F no fraction"]).Should().Be(new DateTimeOffset(2026, 11, 22, 10, 0, 5, TimeSpan.Zero));
        OrchestrationPackage.StartOf([]).Should().BeNull();
        OrchestrationPackage.StartOf(["[… 3 more lines not kept]"]).Should().BeNull();
    }
}
