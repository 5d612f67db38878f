using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Racetrack;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.Racetrack;

/// <summary>A Racetrack named by the settings, as a real one would be (here the embedded one, started apart): Pub's
/// address comes from Lifecycle's <c>/api/v1/info</c>, and exports and calls go through it.</summary>
public sealed class ConfiguredRacetrackTests(RacetrackFixture racetrack) : IClassFixture<RacetrackFixture>
{
    [Fact]
    public async Task ConfiguredRacetrack_PubFromInfo_ExportsAndCalls()
    {
        var scenario = new ExportScenario { Kinds = [TargetKind.Racetrack], ConfiguredRacetrack = new RacetrackConnection(racetrack.Host.Address, racetrack.Host.AuthToken) };
        scenario.Repository.WithTemplate("Configured", "def apply(input):\n    return {'got': input}\n");
        await scenario.InitializeAsync();
        try
        {
            var workflow = scenario.Workflow("configured", """{ "algorithms": [ { "name": "Configured", "language": "python3", "test_payload": 1 } ] }""");
            var export = scenario.RacetrackExport(workflow);

            var exported = await export.ExportAsync("Configured", new ListLogger(), CancellationToken.None);
            var answer = await export.Calls.Prepare(exported, JsonValue.Create(7), 30)(CancellationToken.None);
            await export.CleanupAsync(new ListLogger(), CancellationToken.None);

            scenario.Targets.Racetrack!.Racetrack.Connection.Pub.Should().Be(racetrack.Host.PubAddress.ToString().TrimEnd('/'), "Lifecycle's /api/v1/info named it");
            answer.Body!["result"]!.ToJsonString().Should().Be("""{"got":7}""");
            scenario.Targets.Redactor.Redact($"token {racetrack.Host.AuthToken}").Should().NotContain(racetrack.Host.AuthToken);
        }
        finally
        {
            await scenario.DisposeAsync();
        }
    }
}
