using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Builds;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

/// <summary>The toolbox test algorithm, built once per test class.</summary>
public sealed class BuiltToolbox : IAsyncLifetime
{
    public AlgorithmWorkspace Workspace { get; } = AlgorithmWorkspace.Copy("toolbox");

    public BuildResult Build { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Build = await Workspace.BuildAsync();
        if (!Build.Succeeded)
        {
            throw new InvalidOperationException("Building the toolbox test algorithm failed:\n" + Build.Log);
        }
    }

    public Task DisposeAsync()
    {
        Workspace.Dispose();
        return Task.CompletedTask;
    }
}
