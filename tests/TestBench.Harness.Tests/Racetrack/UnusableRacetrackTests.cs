using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Racetrack;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Racetrack;

/// <summary>A configured Racetrack that answers the run's first request with a sign-in page (a gateway in front of it):
/// that target cannot be set up, says why, and the other target of the run is set up as usual.</summary>
public sealed class UnusableRacetrackTests
{
    [Fact]
    public async Task A_racetrack_behind_a_sign_in_page_fails_alone_with_the_route_and_what_it_answered()
    {
        await using var gateway = FaultServer.Start(ServerFault.Answer.Html(200, "<html><head><title>Sign in - SSO</title></head><body>login</body></html>"));
        const string token = "rt0123456789abcdef0123456789abcdef";
        var scenario = new ExportScenario { Kinds = [TargetKind.Racetrack, TargetKind.Wallaroo], ConfiguredRacetrack = new RacetrackConnection(gateway.Address, token) };
        scenario.Repository.WithTemplate("Unusable", "def apply(input):\n    return input\n");
        await scenario.InitializeAsync();
        try
        {
            var workflow = scenario.Workflow("unusable", """{ "algorithms": [ { "name": "Unusable", "language": "python3", "test_payload": 1 } ] }""");

            var why = scenario.Targets.FailedToStart.Should().ContainKey(TargetKind.Racetrack).WhoseValue.Message;
            why.Should().Contain("racetrack target").And.Contain(gateway.Address.ToString()).And.Contain("GET /api/v1/info")
                .And.Contain("an HTML page titled 'Sign in - SSO'").And.NotContain(token);
            scenario.Targets.FailedToStart.Should().NotContainKey(TargetKind.Wallaroo);
            scenario.Targets.Wallaroo.Should().NotBeNull("a fault on one target stays there");
            scenario.WallarooExport(workflow).Should().NotBeNull();
            scenario.Invoking(s => s.RacetrackExport(workflow)).Should().Throw<InvalidOperationException>()
                .WithMessage("The racetrack target could not be set up: *Sign in - SSO*");
        }
        finally
        {
            await scenario.DisposeAsync();
        }
    }
}
