using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.LangServer;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

/// <summary>Runs alone: it counts the whole test process's files and child processes, which other tests change.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "Process-wide measurements";
}

[Collection(ProcessWideMeasurements.Name)]
public sealed class WorkerPoolLeakTests(BuiltToolbox toolbox) : IClassFixture<BuiltToolbox>
{
    [Fact]
    public async Task CallAsync_ThousandSequentialCalls_LeakNoProcessesOrFileDescriptors()
    {
        var self = Environment.ProcessId;
        await using (var sut = new WorkerPool(toolbox.Workspace.Spec(toolbox.Build), new RuntimeOptions(), LangServerHost.RunnerPath, TimeProvider.System, new RuntimeMetrics()))
        {
            await WorkerPoolTests.PidAsync(sut);
            var filesBefore = ProcessTable.OpenFileCount(self);

            for (var i = 0; i < 1000; i++)
            {
                var result = await sut.CallAsync(AlgorithmInput.FromText(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), WorkerPoolTests.Timeout, CancellationToken.None);
                result.Result!.Value.GetString().Should().Be($"text:{i}");
            }

            ProcessTable.OpenFileCount(self).Should().BeLessThanOrEqualTo(filesBefore + 4);
            sut.IdleWorkerIds().Should().ContainSingle();
        }

        await Eventually.HoldsAsync(() => ProcessTable.ChildrenOf(self).All(pid => !WorkerPoolTests.IsRunner(pid)));
    }
}
