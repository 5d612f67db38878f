using FluentAssertions;
using Microsoft.Extensions.Logging;
using TestBench.LocalCluster;
using TestBench.LocalCluster.CommandLine;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

public sealed class ClusterCommandTests
{
    [Fact]
    public void Parse_EveryOption_LandsInTheOptions()
    {
        var command = ClusterCommand.Parse(["--data", "/tmp/d", "--port", "8800", "--user", "a", "--user", "b", "--log-level", "Warning",
            "--call-delay-ms", "5", "--slowdown", "1.2", "--stall", "5000:1000", "--worker-memory-mb", "512", "--max-output-kb", "64", "--max-result-mb", "3", "--announce", "json", "--stop-with-input"]);

        command.AnnounceJson.Should().BeTrue();
        command.StopWithInput.Should().BeTrue();
        command.Options.DataDirectory.Should().Be("/tmp/d");
        command.Options.Port.Should().Be(8800);
        command.Options.Users.Keys.Should().Equal("a", "b");
        command.Options.LogLevel.Should().Be(LogLevel.Warning);
        command.Options.Runtime.CallDelay.Should().Be(TimeSpan.FromMilliseconds(5));
        command.Options.Runtime.Slowdown.Should().Be(1.2);
        command.Options.Runtime.Stall.Should().Be(new StallSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
        command.Options.Runtime.MaxMemoryBytes.Should().Be(512L * 1024 * 1024);
        command.Options.Runtime.MaxOutputBytes.Should().Be(64 * 1024);
        command.Options.Runtime.MaxResultBytes.Should().Be(3 * 1024 * 1024);
    }

    [Fact]
    public void Parse_Nothing_GivesTheDocumentedDefaults()
    {
        var command = ClusterCommand.Parse([]);

        command.Options.DataDirectory.Should().Be(".testbench-cluster");
        command.Options.Port.Should().Be(0);
        command.Options.Users.Keys.Should().Equal("quality", "testbench");
        command.Options.LogLevel.Should().Be(LogLevel.Information);
        command.AnnounceJson.Should().BeFalse();
        command.StopWithInput.Should().BeFalse();
        command.Options.Runtime.MaxMemoryBytes.Should().Be(2L * 1024 * 1024 * 1024);
        command.Options.Runtime.MaxOutputBytes.Should().Be(1024 * 1024);
        command.Options.Runtime.MaxResultBytes.Should().Be(10 * 1024 * 1024);
        ClusterCommand.Parse(["--worker-memory-mb", "0"]).Options.Runtime.MaxMemoryBytes.Should().BeNull("0 means no limit");
    }

    [Theory]
    [InlineData(new[] { "--slowdown", "0.5" }, "option --slowdown is '0.5'; it must be a number from 1 to 10")]
    [InlineData(new[] { "--call-delay-ms", "-1" }, "option --call-delay-ms is '-1'; it must be a whole number from 0 to 60000")]
    [InlineData(new[] { "--log-level", "loud" }, "option --log-level is 'loud'; allowed: trace, debug, information, warning, error, critical, none")]
    [InlineData(new[] { "--log-level", "3" }, "option --log-level is '3'")]
    [InlineData(new[] { "--announce", "xml" }, "option --announce is 'xml'; the only format is 'json'")]
    [InlineData(new[] { "--port" }, "Required argument missing for option: '--port'.")]
    [InlineData(new[] { "--stall", "1000:1000" }, "option --stall is '1000:1000'; use EVERY_MS:FOR_MS with 0 < FOR_MS < EVERY_MS <= 600000, e.g. 5000:1000")]
    [InlineData(new[] { "--stall", "5s" }, "option --stall is '5s'")]
    [InlineData(new[] { "--colour", "red" }, "Unrecognized command or argument '--colour'.")]
    [InlineData(new[] { "--port", "x", "--slowdown", "0.5" }, "option --port is 'x'; it must be a whole number from 0 to 65535; option --slowdown is '0.5'")]
    public void Parse_BadOption_NamesIt(string[] args, string expected)
    {
        var parse = () => ClusterCommand.Parse(args);

        parse.Should().Throw<ArgumentException>().WithMessage(expected + "*");
    }

    [Fact]
    public void CommandLine_Help_ListsEveryCommandAndOption()
    {
        var output = new StringWriter();

        var exit = Program.CreateCommandLine().Parse(["--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        exit.Should().Be(0);
        output.ToString().Should().Contain("--stall <EVERY_MS:FOR_MS>").And.Contain("--stop-with-input").And.Contain("langserver <algorithm-dir>");
    }
}
