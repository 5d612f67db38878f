using FluentAssertions;
using TestBench.Harness.Configuration;
using Xunit;

namespace TestBench.Harness.Tests.Configuration;

public sealed class TargetKindsTests
{
    [Theory]
    [InlineData(null, null, TargetKind.Local)]
    [InlineData("https://api.example.test", null, TargetKind.Algorithmia)]
    [InlineData(null, "example.test", TargetKind.Algorithmia)]
    [InlineData(" ", "", TargetKind.Local)]
    public void Detect_DestinationVariables_ChooseTheTarget(string? address, string? fqdn, TargetKind expected)
    {
        var variables = new Dictionary<string, string?> { ["DESTINATION_API_ADDRESS"] = address, ["FQDN"] = fqdn };

        TargetKinds.Detect(variables.GetValueOrDefault).Should().Be(expected);
    }

    [Theory]
    [InlineData(null, "auto", null, TargetKind.Local)]
    [InlineData(null, "auto", "example.test", TargetKind.Algorithmia)]
    [InlineData(null, "local", "example.test", TargetKind.Local)]
    [InlineData(null, "Algorithmia", null, TargetKind.Algorithmia)]
    [InlineData("local", "algorithmia", "example.test", TargetKind.Local)]
    [InlineData(null, null, "example.test", TargetKind.Algorithmia)]
    public void Choose_RunSettingsTarget_IsHonouredAndTheEnvironmentWins(string? variable, string? parameter, string? fqdn, TargetKind expected)
    {
        var variables = new Dictionary<string, string?> { ["TESTBENCH_TARGET"] = variable, ["FQDN"] = fqdn };
        var runSettings = parameter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Target"] = parameter };

        TargetKinds.Choose(variables.GetValueOrDefault, runSettings).Should().Be(expected);
    }

    [Fact]
    public void Choose_UnknownTarget_IsASettingsErrorNamingTheValues()
    {
        var act = () => TargetKinds.Choose(_ => null, new Dictionary<string, string> { ["Target"] = "racetrak" });

        act.Should().Throw<ArgumentException>().WithMessage("TESTBENCH_TARGET / .runsettings Target is 'racetrak'; use auto*, local or algorithmia");
    }
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
        TargetKinds.Detect(lookup).Should().Be(expected is null ? TargetKind.Local : TargetKind.Algorithmia);
    }
}
