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
