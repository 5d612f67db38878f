using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Workflows;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Runtime;

namespace TestBench.Bench;

/// <summary>
/// A source (user <c>quality</c>) and a destination (user <c>testbench</c>) cluster, each in a process of its own, so
/// this process holds only the harness; plus the export target over them. Disposing stops both and deletes their data.
/// </summary>
internal sealed class ClusterPair : IAsyncDisposable
{
    private ClusterPair(string work, LocalClusterProcess source, LocalClusterProcess destination, string root)
    {
        WorkDirectory = work;
        SourceCluster = source;
        DestinationCluster = destination;
        Source = new AlgorithmiaClient(new ClusterConnection("source", source.Address, source.UserKeys["quality"]));
        Destination = new AlgorithmiaClient(new ClusterConnection("destination", destination.Address, destination.UserKeys["testbench"]));
        Admin = new AlgorithmiaClient(new ClusterConnection("destination (admin)", destination.Address, destination.AdminKey));
        Target = new ExportTarget
        {
            Source = Source,
            Destination = Destination,
            DestinationAdmin = Admin,
            Layout = new RepositoryLayout { Root = root },
            Redactor = new SecretRedactor([source.UserKeys["quality"], destination.UserKeys["testbench"], destination.AdminKey]),
        };
    }

    public string WorkDirectory { get; }

    public LocalClusterProcess SourceCluster { get; }

    public LocalClusterProcess DestinationCluster { get; }

    public AlgorithmiaClient Source { get; }

    public AlgorithmiaClient Destination { get; }

    public AlgorithmiaClient Admin { get; }

    public ExportTarget Target { get; }

    /// <summary>Exports the shipped hello_world workflow's algorithm into the destination; the call of its exported
    /// commit with this payload (and a 30 s timeout), prepared once.</summary>
    public async Task<PreparedCall> ExportHelloWorldAsync(string root, string payload)
    {
        var workflow = new WorkflowLoader(root).LoadValid(Path.Combine(root, "workflows", "hello_world.json"));
        var entrypoint = await new WorkflowExport(workflow, Target, TimeProvider.System).ExportAsync("hello_world", NullLogger.Instance, default);
        return Destination.Calls.Prepare(entrypoint.Owner, entrypoint.ExportedName, entrypoint.Version, JsonValue.Create(payload), 30);
    }

    public static async Task<ClusterPair> StartAsync(string root, RuntimeOptions? destinationRuntime = null)
    {
        var work = Directory.CreateTempSubdirectory("testbench-bench-").FullName;
        var source = await LocalClusterProcess.StartAsync(Path.Combine(work, "source"), ["quality"], new RuntimeOptions(), default);
        var destination = await LocalClusterProcess.StartAsync(Path.Combine(work, "destination"), ["testbench"], destinationRuntime ?? new RuntimeOptions(), default);
        return new ClusterPair(work, source, destination, root);
    }

    public async ValueTask DisposeAsync()
    {
        Source.Dispose();
        Destination.Dispose();
        Admin.Dispose();
        await SourceCluster.DisposeAsync();
        await DestinationCluster.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
