using FluentAssertions;
using TestBench.Harness.Configuration;
using Xunit;

namespace TestBench.Harness.Tests.Configuration;

public sealed class TargetKindsTests
{
    [Theory]
    [InlineData(null, null, null, null, "local,racetrack,wallaroo")]
    [InlineData("https://api.example.test", null, null, null, "algorithmia")]
    [InlineData(null, "example.test", null, null, "algorithmia")]
    [InlineData(" ", "", null, null, "local,racetrack,wallaroo")]
    [InlineData(null, null, "https://racetrack.example.test/lifecycle", null, "racetrack")]
    [InlineData(null, "example.test", "https://racetrack.example.test/lifecycle", null, "algorithmia,racetrack")]
    [InlineData(null, null, null, "https://example.api.wallaroo.test", "wallaroo")]
    [InlineData(null, "example.test", null, "https://example.api.wallaroo.test", "algorithmia,wallaroo")]
    public void Detect_ConfiguredDestinations_AreTheTargets_ElseTheEmbeddedOnes(string? address, string? fqdn, string? racetrack, string? wallaroo, string expected)
    {
        var variables = new Dictionary<string, string?> { ["DESTINATION_API_ADDRESS"] = address, ["FQDN"] = fqdn, ["RACETRACK_LIFECYCLE_URL"] = racetrack, ["WALLAROO_API_URL"] = wallaroo };

        Names(TargetKinds.Detect(variables.GetValueOrDefault)).Should().Be(expected);
    }

    [Theory]
    [InlineData(null, null, "auto", null, "local,racetrack,wallaroo")]
    [InlineData(null, null, "auto", "example.test", "algorithmia")]
    [InlineData(null, null, "local", "example.test", "local")]
    [InlineData(null, null, "Algorithmia", null, "algorithmia")]
    [InlineData(null, "local", "algorithmia", "example.test", "local")]
    [InlineData(null, null, null, "example.test", "algorithmia")]
    [InlineData("racetrack, local,racetrack", "algorithmia", null, null, "racetrack,local")]
    [InlineData(null, null, "auto,local", null, "local,racetrack,wallaroo")]
    [InlineData("Wallaroo,local", null, null, null, "wallaroo,local")]
    public void Choose_TheEnvironmentWins_ListsKeepTheirOrderAndNameEachOnce(string? targets, string? target, string? parameter, string? fqdn, string expected)
    {
        var variables = new Dictionary<string, string?> { ["TESTBENCH_TARGETS"] = targets, ["TESTBENCH_TARGET"] = target, ["FQDN"] = fqdn };
        var runSettings = parameter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Target"] = parameter };

        Names(TargetKinds.Choose(variables.GetValueOrDefault, runSettings)).Should().Be(expected);
    }

    [Fact]
    public void Choose_RunSettingsTargets_WinsOverTarget()
    {
        var runSettings = new Dictionary<string, string> { ["Targets"] = "racetrack", ["Target"] = "local" };

        Names(TargetKinds.Choose(_ => null, runSettings)).Should().Be("racetrack");
    }

    [Fact]
    public void Choose_UnknownTarget_IsASettingsErrorNamingWhereAndTheValues()
    {
        var act = () => TargetKinds.Choose(_ => null, new Dictionary<string, string> { ["Targets"] = "local,racetrak" });

        act.Should().Throw<ArgumentException>().WithMessage(".runsettings Targets names 'racetrak'; use a comma-separated list of auto*, local, algorithmia, racetrack and wallaroo");
    }

    private static string Names(IEnumerable<TargetKind> kinds) => string.Join(',', kinds.Select(kind => kind.TraitValue()));
}

public sealed class EnvironmentVariablesTests
{
    [Theory]
    [InlineData("$(DESTINATION_API_ADDRESS)", null)]
    [InlineData("  ", null)]
    [InlineData("https://api.example.test", "https://api.example.test")]
    [InlineData("$(not closed", "$(not closed")]
    public void Effective_UnexpandedPipelineMacrosAndBlanks_ReadAsUnset(string value, string? expected)
    {
        var lookup = EnvironmentVariables.Effective(_ => value);

        lookup("ANY").Should().Be(expected);
        TargetKinds.Detect(lookup)[0].Should().Be(expected is null ? TargetKind.Local : TargetKind.Algorithmia);
    }
}
