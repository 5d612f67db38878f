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
