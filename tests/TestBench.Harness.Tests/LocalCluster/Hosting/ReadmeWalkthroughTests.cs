using System.Text.RegularExpressions;
using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Processes;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Hosting;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>The README's local-cluster walk-through, typed straight through: its own lines, in order, against a fresh cluster.</summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-walkthrough-").FullName;

    [Fact]
    public async Task Walkthrough_TypedStraightThrough_BuildsCallsPublishesAndDeletes()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Locate(AppContext.BaseDirectory, Environment.GetEnvironmentVariable).Root, "README.md"));
        var block = Walkthrough().Match(readme);
        block.Success.Should().BeTrue("the README has the walk-through after '## Embedded local cluster'");
        // The cluster is started here instead (on a free port), so the lines that start it and copy its key are left out.
        var steps = block.Groups["steps"].Value.Split('\n').Where(line => !line.StartsWith("dotnet run", StringComparison.Ordinal)
            && !line.StartsWith("# prints", StringComparison.Ordinal) && !line.StartsWith("KEY=", StringComparison.Ordinal) && !line.StartsWith("A=", StringComparison.Ordinal));
        await using var cluster = await EmbeddedCluster.StartAsync(new LocalClusterOptions
        {
            DataDirectory = Path.Combine(root, "cluster"),
            Users = new Dictionary<string, string?> { ["testbench"] = null },
            Python = AlgorithmWorkspace.Python,
        }, CancellationToken.None);
        var script = Path.Combine(root, "walkthrough.sh");
        await File.WriteAllTextAsync(script, "set -euo pipefail\n" + string.Join('\n', steps) + "\n");

        var result = await ExternalCommand.RunAsync(new CommandSpec
        {
            Program = "timeout",
            Arguments = ["180", "bash", script],
            WorkingDirectory = root,
            Environment = new Dictionary<string, string>
            {
                ["KEY"] = cluster.UserKeys["testbench"],
                ["A"] = cluster.Address.ToString().TrimEnd('/'),
                ["GIT_AUTHOR_NAME"] = "Walk Through", ["GIT_AUTHOR_EMAIL"] = "walk@example.test",
                ["GIT_COMMITTER_NAME"] = "Walk Through", ["GIT_COMMITTER_EMAIL"] = "walk@example.test",
            },
        }, CancellationToken.None);

        result.ExitCode.Should().Be(0, result.Combined.Replace(cluster.UserKeys["testbench"], "***", StringComparison.Ordinal));
        result.Output.Should().Contain("\"result\":\"hi you\"").And.Contain("\"semantic_version\":\"0.1.0\"").And.Contain("healthy");
        Regex.Count(result.Output, "hi you").Should().Be(2, "the commit and the published version both answer");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [GeneratedRegex("## Embedded local cluster.*?```bash\\n(?<steps>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Walkthrough();
}
