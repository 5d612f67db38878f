using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Builds;

public sealed class PythonBuilderTests
{
    [Fact]
    public async Task BuildAsync_PassingTests_SucceedsWithAVirtualEnvironment()
    {
        using var workspace = AlgorithmWorkspace.Copy("toolbox");

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeTrue(build.Log);
        File.Exists(build.Python).Should().BeTrue();
        build.Log.Should().Contain("--system-site-packages").And.Contain("requirements.txt lists nothing: pip skipped")
            .And.Contain("test_echo").And.EndWith("== build succeeded\n");
    }

    [Fact]
    public async Task BuildAsync_FailingTest_WarnsAndSucceeds_AsThePlatformDid()
    {
        using var workspace = AlgorithmWorkspace.Copy("failing_test");

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeTrue(build.Log);
        build.Log.Should().Contain("deliberately wrong expectation").And.Contain("FAILED")
            .And.Contain("== warning: src/failing_test_test.py failed; the build goes on").And.EndWith("== build succeeded\n");
    }

    [Fact]
    public async Task BuildAsync_FailingTestWhenTestsAreFatal_FailsWithTheTestOutputInTheLog()
    {
        using var workspace = AlgorithmWorkspace.Copy("failing_test");

        var build = await workspace.BuildAsync(failOnAlgorithmTests: true);

        build.Succeeded.Should().BeFalse();
        build.Log.Should().Contain("deliberately wrong expectation").And.Contain("this cluster fails builds on algorithm tests").And.EndWith("== build failed\n");
    }

    [Fact]
    public async Task BuildAsync_AnyAlgorithm_HasTheClientInstalledAsAnAlgorithmia1Distribution()
    {
        using var workspace = AlgorithmWorkspace.Copy("toolbox");
        await File.WriteAllTextAsync(Path.Combine(workspace.Directory, "requirements.txt"), "algorithmia>=1.0.0,<2.0\n");

        var build = await workspace.BuildAsync();
        var version = await TestBench.Harness.Processes.ExternalCommand.RunAsync(new TestBench.Harness.Processes.CommandSpec
        {
            Program = build.Python,
            Arguments = ["-c", "import importlib.metadata as m, Algorithmia.errors; print(m.version('algorithmia'))"],
        }, CancellationToken.None);

        build.Succeeded.Should().BeTrue(build.Log);
        build.Log.Should().Contain("Requirement already satisfied: algorithmia<2.0,>=1.0.0");
        version.Output.Trim().Should().Be("1.99.0+testbench", version.Combined);
    }

    [Fact]
    public async Task BuildAsync_RequirementSatisfiedBySystem_InstallsOffline()
    {
        using var workspace = AlgorithmWorkspace.Copy("toolbox");
        // Debian's python3-pip (a prerequisite) satisfies 'pip' through --system-site-packages, with no index needed.
        await File.WriteAllTextAsync(Path.Combine(workspace.Directory, "requirements.txt"), "# comment\npip\n");

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeTrue(build.Log);
        build.Log.Should().Contain("-m pip install").And.Contain("Requirement already satisfied: pip");
    }

    [Fact]
    public async Task BuildAsync_UnavailableRequirement_FailsWithPipsMessage()
    {
        using var workspace = AlgorithmWorkspace.Copy("toolbox");
        await File.WriteAllTextAsync(Path.Combine(workspace.Directory, "requirements.txt"), "testbench-no-such-package==9.9.9\n");

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeFalse();
        build.Log.Should().Contain("testbench-no-such-package");
    }

    [Fact]
    public async Task BuildAsync_MainFileMissing_SaysWhichFileIsExpected()
    {
        using var workspace = AlgorithmWorkspace.Copy("toolbox");
        File.Delete(Path.Combine(workspace.Directory, "src", "toolbox.py"));

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeFalse();
        build.Log.Should().Contain("src/toolbox.py is missing");
    }
}
