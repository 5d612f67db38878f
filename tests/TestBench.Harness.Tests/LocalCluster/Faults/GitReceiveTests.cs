using FluentAssertions;
using TestBench.Harness.Processes;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>The cluster's git checks every pushed object: a tree that could not be checked out is refused, in git's words.</summary>
public sealed class GitReceiveTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Push_TreeWithDotDotEntry_IsRefusedNamingTheProblem()
    {
        await fixture.Alice.CreateAlgorithmAsync("Climber");
        var work = Directory.CreateTempSubdirectory("testbench-dotdot-").FullName;
        try
        {
            await GitAsync(work, "init", "--quiet", "--initial-branch", "master");
            var blob = (await GitWithInputAsync(work, "escaped\n", "hash-object", "-w", "--stdin")).Trim();
            var tree = (await GitWithInputAsync(work, $"100644 blob {blob}\t..\n", "mktree")).Trim();
            var commit = (await GitAsync(work, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit-tree", tree, "-m", "climb")).Trim();

            var push = await RunGitAsync(work, "push", fixture.Cluster.GitUrl("alice", "Climber").ToString(), $"+{commit}:refs/heads/master");

            push.Succeeded.Should().BeFalse();
            push.Combined.Should().Contain("hasDotdot", "git's fsck names what is wrong with the tree");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var result = await RunGitAsync(directory, arguments);
        result.Succeeded.Should().BeTrue(result.Combined);
        return result.Output;
    }

    private static async Task<string> GitWithInputAsync(string directory, string input, params string[] arguments)
    {
        using var process = ExternalCommand.Start(new CommandSpec { Program = "git", Arguments = arguments, WorkingDirectory = directory });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0);
        return output;
    }

    private static Task<CommandResult> RunGitAsync(string directory, params string[] arguments) =>
        ExternalCommand.RunAsync(new CommandSpec { Program = "git", Arguments = arguments, WorkingDirectory = directory, Timeout = TimeSpan.FromMinutes(1) }, CancellationToken.None);
}
