using TestBench.Runner.Targets;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// A temporary repository (templates, artifacts, workflows) with the benchmark's real embedded source and
/// destination clusters behind it: exports in these tests go through HTTP, git and Python for real.
/// </summary>
public sealed class ExportScenario : IAsyncLifetime
{
    public TempRepository Repository { get; } = new();

    public ExportTargets Targets { get; private set; } = null!;

    public ExportTarget Target => Targets.Algorithmia ?? throw new InvalidOperationException("this scenario has no Algorithmia-style target");

    /// <summary>The destinations started: <value>the embedded local cluster by default</value>.</summary>
    public IReadOnlyList<TargetKind> Kinds { get; init; } = [TargetKind.Local];

    /// <summary>A Racetrack to use as a configured one (as <c>RACETRACK_LIFECYCLE_URL</c> names it); <value>null: the embedded one</value>.</summary>
    public Harness.Racetrack.RacetrackConnection? ConfiguredRacetrack { get; init; }

    /// <summary>The destination cluster's artificial slowness per call (<see cref="TestBenchSettings.LocalCallDelay"/>).</summary>
    public TimeSpan CallDelay { get; init; }

    /// <summary>The destination cluster's slowdown factor (<see cref="TestBenchSettings.LocalSlowdown"/>).</summary>
    public double Slowdown { get; init; } = 1;

    public string ArtifactsDirectory => Path.Combine(Repository.Root, "artifacts");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ArtifactsDirectory, "model.json"), """{"weights": [1, 2, 3]}""");
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDirectory, "greeter.tar.gz"), new TarGzBuilder()
            .WithFile("requirements.txt", "")
            .WithFile("src/Packed.py", "def apply(input):\n    return 'packed ' + str(input)\n")
            .WithFile("src/__init__.py", "")
            .Build());
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDirectory, "climbing.tar.gz"), new TarGzBuilder().WithFile("src/ok.py", "").WithFile("../../escaped.py", "x").Build());
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDirectory, "absolute.tar.gz"), new TarGzBuilder().WithFile("/tmp/testbench-absolute.py", "x").Build());
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDirectory, "linking.tar.gz"), new TarGzBuilder().WithFile("src/ok.py", "").WithSymlink("src/evil", "/etc/passwd").Build());
        var settings = new TestBenchSettings { Targets = Kinds, Racetrack = ConfiguredRacetrack, ResultsDirectory = Path.Combine(Repository.Root, "TestResults"), LocalCallDelay = CallDelay, LocalSlowdown = Slowdown };
        Targets = await ExportTargets.CreateAsync(settings, new RepositoryLayout { Root = Repository.Root }, ExportTargets.Hosting.InProcess, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Targets.DisposeAsync();
        Repository.Dispose();
    }

    /// <summary>Writes a workflow file and loads it.</summary>
    public Workflow Workflow(string name, string json) =>
        new WorkflowLoader(Repository.Root).LoadValid(Repository.WithWorkflow(name, json));

    public WorkflowExport Export(Workflow workflow) => new(workflow, Target, TimeProvider.System);

    /// <summary>The workflow's export to the embedded Racetrack (the scenario must start it: <see cref="Kinds"/>).</summary>
    public IWorkflowExport RacetrackExport(Workflow workflow) => Targets.ExportOf(workflow, TargetKind.Racetrack, TimeProvider.System);

    /// <summary>The workflow's export to the embedded Wallaroo (the scenario must start it: <see cref="Kinds"/>).</summary>
    public Harness.Wallaroo.WallarooWorkflowExport WallarooExport(Workflow workflow) => (Harness.Wallaroo.WallarooWorkflowExport)Targets.ExportOf(workflow, TargetKind.Wallaroo, TimeProvider.System);
}
