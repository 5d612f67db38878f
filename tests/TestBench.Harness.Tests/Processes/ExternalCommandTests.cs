using FluentAssertions;
using TestBench.Harness.Processes;
using Xunit;

namespace TestBench.Harness.Tests.Processes;

/// <summary>The one launcher, with real processes.</summary>
public sealed class ExternalCommandTests
{
    [Fact]
    public async Task RunAsync_IsolatedEnvironment_SeesOnlyWhatItIsGiven()
    {
        var before = Environment.GetEnvironmentVariable("TESTBENCH_TEST_SECRET");
        Environment.SetEnvironmentVariable("TESTBENCH_TEST_SECRET", "do-not-leak");
        try
        {
            var result = await ExternalCommand.RunAsync(
                new CommandSpec { Program = "/usr/bin/env", IsolateEnvironment = true, Environment = new Dictionary<string, string> { ["GIVEN"] = "yes" } },
                CancellationToken.None);

            result.Succeeded.Should().BeTrue();
            result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=')[0])
                .Should().BeEquivalentTo("PATH", "LANG", "GIVEN");
        }
        finally
        {
            Environment.SetEnvironmentVariable("TESTBENCH_TEST_SECRET", before);
        }
    }

    [Fact]
    public async Task RunAsync_PastItsTimeLimit_IsKilledAndSaysSo()
    {
        var result = await ExternalCommand.RunAsync(new CommandSpec { Program = "sleep", Arguments = ["30"], Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);

        result.TimedOut.Should().BeTrue();
    }

    [Fact]
    public void Start_MissingProgram_NamesIt()
    {
        var act = () => ExternalCommand.Start(new CommandSpec { Program = "/nonexistent/testbench-tool" });

        act.Should().Throw<InvalidOperationException>().WithMessage("/nonexistent/testbench-tool could not be started: *")
            .WithInnerException<System.ComponentModel.Win32Exception>();
    }

    [Fact]
    public async Task Start_Streaming_WritesAndReadsUtf8()
    {
        using var process = ExternalCommand.Start(new CommandSpec { Program = "cat" });

        await process.StandardInput.WriteAsync("grüße ✓");
        process.StandardInput.Close();

        (await process.StandardOutput.ReadToEndAsync()).Should().Be("grüße ✓");
    }
}
