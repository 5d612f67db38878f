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
    public async Task BuildAsync_FailingTest_FailsWithTheTestOutputInTheLog()
    {
        using var workspace = AlgorithmWorkspace.Copy("failing_test");

        var build = await workspace.BuildAsync();

        build.Succeeded.Should().BeFalse();
        build.Log.Should().Contain("deliberately wrong expectation").And.Contain("FAILED").And.EndWith("== build failed\n");
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
