using FluentAssertions;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class BuildFlavourTests
{
    [Fact]
    public void Of_MeasuredProjects_AreOptimizedInEveryConfiguration()
    {
        // Directory.Build.props compiles the harness and the local cluster optimized even in Debug.
        BuildFlavour.Of(typeof(LoadRunner).Assembly, "harness").Optimized.Should().BeTrue();
        BuildFlavour.Of(typeof(TestBench.LocalCluster.Hosting.LocalCluster).Assembly, "cluster").Optimized.Should().BeTrue();
    }

    [Fact]
    public void Of_ThisTestAssembly_FollowsItsConfiguration()
    {
        var flavour = BuildFlavour.Of(typeof(BuildFlavourTests).Assembly, "tests");
#if DEBUG
        flavour.Optimized.Should().BeFalse();
        flavour.Caveat.Should().Be("tests is an unoptimized (Debug) build: its timings are not the platform's");
#else
        flavour.Optimized.Should().BeTrue();
#endif
        flavour.Instrumented.Should().BeFalse("coverage leaves test assemblies alone");
    }

    [Theory]
    [InlineData(true, false, null)]
    [InlineData(false, false, "the cluster is an unoptimized (Debug) build: its timings are not the platform's")]
    [InlineData(true, true, "the cluster is coverage-instrumented: its timings are not the platform's")]
    [InlineData(false, true, "the cluster is an unoptimized (Debug) build and coverage-instrumented: its timings are not the platform's")]
    public void Caveat_SaysWhatIsWrongWithTheBuild(bool optimized, bool instrumented, string? expected)
    {
        var flavour = new BuildFlavour("the cluster", optimized, instrumented);

        flavour.Caveat.Should().Be(expected);
        flavour.IsFitToMeasure.Should().Be(expected is null);
    }
}
