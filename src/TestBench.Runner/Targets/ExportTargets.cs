using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Runtime;

namespace TestBench.Runner.Targets;

/// <summary>
/// Creates the run's <see cref="ExportTarget"/>: two embedded clusters on 127.0.0.1 (a source for user
/// <c>quality</c> seeded from <c>artifacts/</c> and a destination for user <c>testbench</c>, random keys), or the
/// clusters the environment names. Embedded clusters run in processes of their own (what a benchmark measures),
/// or in this one (tests that want the cluster's code covered).
/// </summary>
public sealed class ExportTargets : IAsyncDisposable
{
    /// <summary>Where embedded clusters run.</summary>
    public enum Hosting
    {
        /// <summary>Each in a process of its own, from the optimized cluster executable: the benchmark's way.</summary>
        OutOfProcess,

        /// <summary>In the calling process, so coverage tools see the cluster's code.</summary>
        InProcess,
    }

    private readonly List<IAsyncDisposable> owned = [];
    private readonly List<string> dataDirectories = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, ExportTarget> bySourceAddress = new();
    private TestBenchSettings? configured;

    /// <summary>The run's target; for a configured one, with the source that <c>SOURCE_API_ADDRESS</c> or the first workflow named.</summary>
    public ExportTarget Target { get; private set; } = null!;

    public SecretRedactor Redactor { get; private set; } = null!;

    /// <summary>The builds of the measured path this process can vouch for: the harness's call path, and an embedded destination.</summary>
    public IReadOnlyList<BuildFlavour> MeasuredBuilds { get; private set; } = [];

    public static async Task<ExportTargets> CreateAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var targets = new ExportTargets();
        try
        {
            var harness = BuildFlavour.Of(typeof(LoadRunner).Assembly, "the harness's call path (TestBench.Harness)");
            targets.MeasuredBuilds = [harness];
            if (settings.Target == TargetKind.Local)
            {
                await targets.StartLocalAsync(settings, layout, hosting, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                targets.UseConfigured(settings, layout);
            }

            return targets;
        }
        catch
        {
            await targets.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The target for <paramref name="workflow"/>: on a configured (real) target its source is the workflow's
    /// <c>source_info.cluster_address</c> unless <c>SOURCE_API_ADDRESS</c> names one; the embedded source serves every workflow.
    /// </summary>
    public ExportTarget For(TestBench.Harness.Workflows.Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (configured?.SourceFor(workflow) is not { } source || source.Address == Target.Source.Connection.Address)
        {
            return Target;
        }

        return bySourceAddress.GetOrAdd(source.Address, _ => Target with { Source = Own(new AlgorithmiaClient(source)) });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Enumerable.Reverse(owned))
        {
            await resource.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var directory in dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task StartLocalAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        var source = await StartClusterAsync("quality", new RuntimeOptions(), hosting, cancellationToken).ConfigureAwait(false);
        var destination = await StartClusterAsync("testbench", new RuntimeOptions { CallDelay = settings.LocalCallDelay, Slowdown = settings.LocalSlowdown }, hosting, cancellationToken, settings.LocalEnvironmentsFile).ConfigureAwait(false);
        MeasuredBuilds = [.. MeasuredBuilds, destination.Build];
        Redactor = new SecretRedactor([.. source.UserKeys.Values, source.AdminKey, .. destination.UserKeys.Values, destination.AdminKey]);
        var sourceClient = Own(new AlgorithmiaClient(new ClusterConnection("source", source.Address, source.UserKeys["quality"])));
        await ArtifactSeeder.SeedAsync(sourceClient, "quality", layout.ArtifactsDirectory, cancellationToken).ConfigureAwait(false);
        Target = new ExportTarget
        {
            Source = sourceClient,
            Destination = Own(new AlgorithmiaClient(new ClusterConnection("destination", destination.Address, destination.UserKeys["testbench"]))),
            DestinationAdmin = Own(new AlgorithmiaClient(new ClusterConnection("destination (admin)", destination.Address, destination.AdminKey))),
            Layout = layout,
            Redactor = Redactor,
            BuildTimeout = settings.BuildTimeout,
        };
    }

    private void UseConfigured(TestBenchSettings settings, RepositoryLayout layout)
    {
        configured = settings;
        Redactor = new SecretRedactor(settings.Secrets);
        var destination = settings.Destination!;
        Target = new ExportTarget
        {
            Source = Own(new AlgorithmiaClient(settings.Source!)),
            Destination = Own(new AlgorithmiaClient(destination)),
            DestinationAdmin = settings.AdminApiKey is { } admin
                ? Own(new AlgorithmiaClient(destination with { Name = "destination (admin)", ApiKey = admin, BasicUser = settings.AdminUser }))
                : null,
            Layout = layout,
            Redactor = Redactor,
            BuildTimeout = settings.BuildTimeout,
        };
    }

    private async Task<IEmbeddedCluster> StartClusterAsync(string user, RuntimeOptions runtime, Hosting hosting, CancellationToken cancellationToken, string? moreEnvironmentsFile = null)
    {
        var data = Directory.CreateTempSubdirectory($"testbench-{user}-cluster-").FullName;
        dataDirectories.Add(data);
        IEmbeddedCluster cluster = hosting == Hosting.OutOfProcess
            ? await LocalClusterProcess.StartAsync(data, [user], runtime, cancellationToken, moreEnvironmentsFile).ConfigureAwait(false)
            : await LocalCluster.Hosting.LocalCluster.StartAsync(
                new LocalClusterOptions { DataDirectory = data, Users = new Dictionary<string, string?> { [user] = null }, Python = PythonInterpreter.Locate(EnvironmentVariables.Process), Runtime = runtime, MoreEnvironmentsFile = moreEnvironmentsFile },
                cancellationToken).ConfigureAwait(false);
        owned.Add(cluster);
        return cluster;
    }

    private AlgorithmiaClient Own(AlgorithmiaClient client)
    {
        lock (owned)
        {
            owned.Add(new DisposableAdapter(client));
        }

        return client;
    }

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
