using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Export;

/// <summary>Transient failures between the harness and the destination are retried, and nothing is done twice.</summary>
public sealed class FaultInjectionTests(ExportScenario scenario) : IClassFixture<ExportScenario>
{
    [Fact]
    public async Task Export_Through503sLostAnswerAndDroppedUpload_SucceedsAndCreatesEverythingOnce()
    {
        await using var proxy = await FaultyProxy.StartAsync(scenario.Target.Destination.Connection.Address, failFirst: 3);
        using var destination = new AlgorithmiaClient(scenario.Target.Destination.Connection with { Address = proxy.Address });
        var target = scenario.Target with { Destination = destination };
        scenario.Repository.WithTemplate("Sturdy", "def apply(input):\n    return 'sturdy'\n");
        var workflow = scenario.Workflow("sturdy", """
            { "algorithms": [ { "name": "Sturdy", "language": "python3", "data_files": ["data://.my/artifacts/model.json"], "test_payload": 1 } ] }
            """);

        var exported = await new WorkflowExport(workflow, target, TimeProvider.System).ExportAsync("Sturdy", new ListLogger(), CancellationToken.None);

        proxy.Injected503s.Should().Be(3);
        proxy.LostAnswers.Should().Be(1);
        proxy.DroppedConnections.Should().Be(1);
        var builds = await scenario.Target.Destination.Algorithms.BuildsAsync("testbench", exported.ExportedName, CancellationToken.None);
        builds.Should().ContainSingle("one push, one build");
        (await scenario.Target.Destination.Data.FileSizeAsync($"data://testbench/{exported.ExportedName}/model.json", CancellationToken.None))
            .Should().Be(new FileInfo(Path.Combine(scenario.ArtifactsDirectory, "model.json")).Length);
        Directory.EnumerateFiles(scenario.Repository.Root, "*", SearchOption.AllDirectories).Should().NotContain(f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_ToAClusterWhoseAlgorithmObjectsNameNoRepository_PushesToTheGitOfItsApiAddress()
    {
        // api-docs: a create reply with the internal SCM has no repository and no self_link; the remote comes from the API address.
        await using var proxy = await BareRepliesProxy.StartAsync(scenario.Target.Destination.Connection.Address);
        using var destination = new AlgorithmiaClient(scenario.Target.Destination.Connection with { Address = proxy.Address });
        var target = scenario.Target with { Destination = destination };
        scenario.Repository.WithTemplate("Bare", "def apply(input):\n    return 'bare ' + str(input)\n");
        var workflow = scenario.Workflow("bare", """
            { "algorithms": [ { "name": "Bare", "language": "python3", "data_files": [], "test_payload": 1 } ] }
            """);

        var exported = await new WorkflowExport(workflow, target, TimeProvider.System).ExportAsync("Bare", new ListLogger(), CancellationToken.None);

        proxy.Stripped.Should().BeGreaterThan(0, "the create reply went out without self_link and source");
        exported.Version.Should().MatchRegex("^[0-9a-f]{40}$");
        (await scenario.Target.Destination.Calls.CallAsync("testbench", exported.ExportedName, "latestPrivate", System.Text.Json.Nodes.JsonValue.Create(2), 30, CancellationToken.None))
            .Body!["result"]!.GetValue<string>().Should().Be("bare 2");
    }
}
