using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Isolation;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

public sealed class AlgorithmRuntimeStallTests
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task StallAsync_CallInAFrozenWindow_WaitsForItsEnd()
    {
        await using var runtime = CreateSut(new StallSchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
        time.Advance(TimeSpan.FromSeconds(21));

        var held = runtime.StallAsync(fromAlgorithm: false, CancellationToken.None);
        held.IsCompleted.Should().BeFalse("21 s is 1 s into the third 2 s freeze");
        time.Advance(TimeSpan.FromSeconds(1));

        await held.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StallAsync_OutsideTheWindowOrFromAnAlgorithm_PassesAtOnce()
    {
        await using var runtime = CreateSut(new StallSchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));

        time.Advance(TimeSpan.FromSeconds(1));
        runtime.StallAsync(fromAlgorithm: true, CancellationToken.None).IsCompleted.Should().BeTrue("pipelines are stalled once, at the outer call");
        time.Advance(TimeSpan.FromSeconds(4));
        runtime.StallAsync(fromAlgorithm: false, CancellationToken.None).IsCompleted.Should().BeTrue();
    }

    private AlgorithmRuntime CreateSut(StallSchedule stall) =>
        new(new RuntimeOptions { Stall = stall }, new ApiKeys(new Dictionary<string, string> { ["alice"] = "simA" }, "admin"), new RuntimeMetrics(), SandboxChoice.None("not needed to hold calls"), new EnvironmentCatalog([], "python3"), time);
}
