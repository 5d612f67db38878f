using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Measuring;
using TestBench.Harness.Racetrack;
using TestBench.Harness.Wallaroo;
using TestBench.Harness.Workflows;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Racetrack;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Wallaroo;

namespace TestBench.Runner.Targets;

/// <summary>
/// Creates the run's destinations, one per <see cref="TargetKind"/> it names: the embedded clusters on 127.0.0.1 (a source
/// for user <c>quality</c> seeded from <c>artifacts/</c> and a destination for user <c>testbench</c>, random keys), a
/// configured Algorithmia-style cluster, a Racetrack and a Wallaroo (each embedded, or the one configured). Every target exports from
/// the same source: the configured one when the run has a configured Algorithmia target, else the embedded one.
/// Embedded servers run in processes of their own (what a benchmark measures), or in this one (tests that want the
/// servers' code covered).
/// </summary>
public sealed class ExportTargets : IAsyncDisposable
{
    /// <summary>How long a minute of a cron schedule lasts on the embedded Wallaroo: 2 s, so a scheduled test of a few
    /// <c>*/1 * * * *</c> runs takes seconds, not minutes.</summary>
    public static readonly TimeSpan EmbeddedScheduleMinute = TimeSpan.FromSeconds(2);

    /// <summary>Where embedded servers run.</summary>
    public enum Hosting
    {
        /// <summary>Each in a process of its own, from the optimized executable: the benchmark's way.</summary>
        OutOfProcess,

        /// <summary>In the calling process, so coverage tools see the servers' code.</summary>
        InProcess,
    }

    private readonly List<IAsyncDisposable> owned = [];
    private readonly List<string> dataDirectories = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, ExportTarget> bySourceAddress = new();
    private readonly List<string> secrets = [];
    private readonly Dictionary<TargetKind, IReadOnlyList<BuildFlavour>> measuredBuilds = [];
    private readonly Dictionary<TargetKind, Exception> failedToStart = [];
    private TestBenchSettings? configured;
    private ServerLaunch sourceLaunch = ServerLaunch.Default;
    private ServerLaunch? destinationLaunch;
    private AlgorithmiaClient? embeddedSource;

    /// <summary>The Algorithmia-style target (<see cref="TargetKind.Local"/> or <see cref="TargetKind.Algorithmia"/>), if the run has one.</summary>
    public ExportTarget? Algorithmia { get; private set; }

    /// <summary>The Racetrack target, if the run has one.</summary>
    public RacetrackTarget? Racetrack { get; private set; }

    /// <summary>The Wallaroo target, if the run has one.</summary>
    public WallarooTarget? Wallaroo { get; private set; }

    public SecretRedactor Redactor { get; private set; } = new([]);

    /// <summary>The targets that could not be set up (a server that would not start, a configured one that did not
    /// answer), each with why; the others serve the run as usual.</summary>
    public IReadOnlyDictionary<TargetKind, Exception> FailedToStart => failedToStart;

    /// <summary>The commit the embedded destinations' servers were built from (<see cref="TestBenchSettings.ServersCommit"/>),
    /// once one has started; <see langword="null"/>: this checkout's build.</summary>
    public BuiltCommit? ServersBuiltFrom { get; private set; }

    /// <summary>The builds of a target's measured path this process can vouch for: the harness's call path, and an embedded server.</summary>
    public IReadOnlyList<BuildFlavour> MeasuredBuildsOf(TargetKind kind) => measuredBuilds.GetValueOrDefault(kind, []);

    public static async Task<ExportTargets> CreateAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ServersCommit is { } commit && hosting == Hosting.InProcess)
        {
            throw new ArgumentException($"{commit.Setting} builds the embedded servers from a commit, which needs them in processes of their own; these targets are hosted in this process", nameof(hosting));
        }

        var targets = new ExportTargets { sourceLaunch = new ServerLaunch { Cpus = settings.ServerCpus } };
        try
        {
            targets.secrets.AddRange(settings.Secrets.OfType<string>());
            var harness = BuildFlavour.Of(typeof(LoadRunner).Assembly, "the harness's call path (TestBench.Harness)");
            foreach (var kind in settings.Targets)
            {
                targets.measuredBuilds[kind] = [harness];
            }

            // Racetrack and Wallaroo after the others: they export from their source.
            foreach (var kind in settings.Targets.OrderBy(kind => kind is TargetKind.Racetrack or TargetKind.Wallaroo))
            {
                await targets.SetUpAsync(kind, kind switch
                {
                    TargetKind.Local => () => targets.StartLocalAsync(settings, layout, hosting, cancellationToken),
                    TargetKind.Algorithmia => () => targets.UseConfigured(settings, layout),
                    TargetKind.Racetrack => () => targets.StartRacetrackAsync(settings, layout, hosting, cancellationToken),
                    _ => () => targets.StartWallarooAsync(settings, layout, hosting, cancellationToken),
                }).ConfigureAwait(false);
            }

            // One redactor knows every secret of the run, whichever target logs.
            targets.Redactor = new SecretRedactor(targets.secrets);
            targets.Algorithmia = targets.Algorithmia is { } algorithmia ? algorithmia with { Redactor = targets.Redactor } : null;
            targets.Racetrack = targets.Racetrack is { } racetrack ? racetrack with { Redactor = targets.Redactor } : null;
            targets.Wallaroo = targets.Wallaroo is { } wallaroo ? wallaroo with { Redactor = targets.Redactor } : null;
            return targets;
        }
        catch
        {
            await targets.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The export of <paramref name="workflow"/> to <paramref name="kind"/>. On a configured Algorithmia-style target the
    /// source is the workflow's <c>source_info.cluster_address</c> unless <c>SOURCE_API_ADDRESS</c> names one; the embedded
    /// source serves every workflow.
    /// </summary>
    public IWorkflowExport ExportOf(Workflow workflow, TargetKind kind, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (failedToStart.TryGetValue(kind, out var failure))
        {
            throw new InvalidOperationException($"The {kind.TraitValue()} target could not be set up: {failure.Message}", failure);
        }

        return kind switch
        {
            TargetKind.Racetrack => new RacetrackWorkflowExport(workflow, Racetrack! with { Source = Algorithmia is null ? Racetrack!.Source : For(workflow).Source }, time),
            TargetKind.Wallaroo => new WallarooWorkflowExport(workflow, Wallaroo! with { Source = Algorithmia is null ? Wallaroo!.Source : For(workflow).Source }, time),
            _ => new WorkflowExport(workflow, For(workflow), time),
        };
    }

    /// <summary>The Algorithmia-style target for <paramref name="workflow"/> (see <see cref="ExportOf"/>).</summary>
    public ExportTarget For(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var target = Algorithmia ?? throw new InvalidOperationException("the run has no Algorithmia-style target");
        if (configured?.SourceFor(workflow) is not { } source || source.Address == target.Source.Connection.Address)
        {
            return target;
        }

        return bySourceAddress.GetOrAdd(source.Address, _ => target with { Source = Own(new AlgorithmiaClient(source)) });
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

    /// <summary>Sets one target up; a failure is kept as that target's (<see cref="FailedToStart"/>), so a fault on one
    /// target stays there. Cancellation still ends the whole set-up.</summary>
    private async Task SetUpAsync(TargetKind kind, Func<Task> setUp)
    {
        try
        {
            await setUp().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every case of the target reports it, with this exception as the cause.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            failedToStart[kind] = e;
        }
    }

    /// <summary>How the embedded destinations start: this checkout's build, or the one of <see cref="TestBenchSettings.ServersCommit"/>
    /// (built once, on the first destination that needs it; a failed build fails each embedded destination's set-up).</summary>
    private async Task<ServerLaunch> DestinationLaunchAsync(TestBenchSettings settings, RepositoryLayout layout, CancellationToken cancellationToken)
    {
        if (destinationLaunch is not null)
        {
            return destinationLaunch;
        }

        if (settings.ServersCommit is { } commit)
        {
            ServersBuiltFrom = await CommitBuild.BuildAsync(layout.Root, commit.Revision, commit.Setting, cancellationToken).ConfigureAwait(false);
        }

        return destinationLaunch = ServersBuiltFrom?.Launch(settings.ServerCpus) ?? sourceLaunch;
    }

    private async Task StartLocalAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        var source = await EmbeddedSourceAsync(layout, hosting, cancellationToken).ConfigureAwait(false);
        // The destination posts its async calls' results here (the LangServer's async mode).
        var completions = await CompletionReceiver.StartAsync(cancellationToken).ConfigureAwait(false);
        owned.Add(completions);
        var launch = await DestinationLaunchAsync(settings, layout, cancellationToken).ConfigureAwait(false);
        var destination = await StartClusterAsync("testbench", new RuntimeOptions { CallDelay = settings.LocalCallDelay, Slowdown = settings.LocalSlowdown }, hosting, launch, cancellationToken, settings.LocalEnvironmentsFile, completions.Address).ConfigureAwait(false);
        measuredBuilds[TargetKind.Local] = [.. measuredBuilds[TargetKind.Local], destination.Build];
        secrets.AddRange([.. destination.UserKeys.Values, destination.AdminKey]);
        Algorithmia = new ExportTarget
        {
            Source = source,
            Destination = Own(new AlgorithmiaClient(new ClusterConnection("destination", destination.Address, destination.UserKeys["testbench"]))),
            DestinationAdmin = Own(new AlgorithmiaClient(new ClusterConnection("destination (admin)", destination.Address, destination.AdminKey))),
            Completions = completions,
            Layout = layout,
            Redactor = new SecretRedactor(secrets),
            BuildTimeout = settings.BuildTimeout,
        };
    }

    private Task UseConfigured(TestBenchSettings settings, RepositoryLayout layout)
    {
        configured = settings;
        var destination = settings.Destination!;
        Algorithmia = new ExportTarget
        {
            Source = Own(new AlgorithmiaClient(settings.Source!)),
            Destination = Own(new AlgorithmiaClient(destination)),
            DestinationAdmin = settings.AdminApiKey is { } admin
                ? Own(new AlgorithmiaClient(destination with { Name = "destination (admin)", ApiKey = admin, BasicUser = settings.AdminUser }))
                : null,
            Layout = layout,
            Redactor = new SecretRedactor(settings.Secrets),
            BuildTimeout = settings.BuildTimeout,
        };
        return Task.CompletedTask;
    }

    /// <summary>The configured Racetrack, or an embedded one; it exports from the Algorithmia-style target's source, else the embedded source.</summary>
    private async Task StartRacetrackAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        var connection = settings.Racetrack;
        if (connection is null)
        {
            var data = Directory.CreateTempSubdirectory("testbench-racetrack-").FullName;
            dataDirectories.Add(data);
            (connection, var build) = hosting == Hosting.OutOfProcess
                ? await StartRacetrackProcessAsync(data, await DestinationLaunchAsync(settings, layout, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                : await StartRacetrackHostAsync(data, cancellationToken).ConfigureAwait(false);
            measuredBuilds[TargetKind.Racetrack] = [.. measuredBuilds[TargetKind.Racetrack], build];
            secrets.Add(connection.AuthToken);
        }

        var client = Own(new RacetrackClient(connection));
        if (connection.Pub is null && settings.Racetrack is not null)
        {
            connection = connection with { Pub = await client.ExternalPubAddressAsync(cancellationToken).ConfigureAwait(false) };
            client = Own(new RacetrackClient(connection));
        }

        Racetrack = new RacetrackTarget
        {
            Source = Algorithmia?.Source ?? await EmbeddedSourceAsync(layout, hosting, cancellationToken).ConfigureAwait(false),
            Racetrack = client,
            Calls = Own(new RacetrackBenchmarkCalls(connection.PubAddress, connection.AuthToken)),
            ClientPackage = ClientPackage(),
            Layout = layout,
            Redactor = new SecretRedactor(secrets),
            DeployTimeout = settings.BuildTimeout,
        };
    }

    /// <summary>The configured Wallaroo, or an embedded one (its schedules <see cref="EmbeddedScheduleMinute"/> fast); it
    /// exports from the Algorithmia-style target's source, else the embedded source.</summary>
    private async Task StartWallarooAsync(TestBenchSettings settings, RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        var connection = settings.Wallaroo;
        var scheduleMinute = TimeSpan.FromMinutes(1);
        if (connection is null)
        {
            var data = Directory.CreateTempSubdirectory("testbench-wallaroo-").FullName;
            dataDirectories.Add(data);
            scheduleMinute = EmbeddedScheduleMinute;
            (connection, var build) = hosting == Hosting.OutOfProcess
                ? await StartWallarooProcessAsync(data, await DestinationLaunchAsync(settings, layout, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                : await StartWallarooHostAsync(data, cancellationToken).ConfigureAwait(false);
            measuredBuilds[TargetKind.Wallaroo] = [.. measuredBuilds[TargetKind.Wallaroo], build];
            secrets.Add(connection.Token);
        }

        var client = Own(new WallarooClient(connection));
        var runner = new TaskRunner(client, TimeProvider.System);
        Wallaroo = new WallarooTarget
        {
            Source = Algorithmia?.Source ?? await EmbeddedSourceAsync(layout, hosting, cancellationToken).ConfigureAwait(false),
            Wallaroo = client,
            Runner = runner,
            Calls = new WallarooBenchmarkCalls(runner),
            ClientPackage = ClientPackage(),
            Layout = layout,
            Redactor = new SecretRedactor(secrets),
            ScheduleMinute = scheduleMinute,
            PackagingTimeout = settings.BuildTimeout,
        };
    }

    private async Task<(WallarooConnection, BuildFlavour)> StartWallarooProcessAsync(string data, ServerLaunch launch, CancellationToken cancellationToken)
    {
        var wallaroo = await TokenServerProcess.StartWallarooAsync(data, EmbeddedScheduleMinute, cancellationToken, launch).ConfigureAwait(false);
        owned.Add(wallaroo);
        return (new WallarooConnection(wallaroo.Address, wallaroo.Token), wallaroo.Build);
    }

    private async Task<(WallarooConnection, BuildFlavour)> StartWallarooHostAsync(string data, CancellationToken cancellationToken)
    {
        var wallaroo = await WallarooHost.StartAsync(new WallarooOptions { DataDirectory = data, Python = PythonInterpreter.Locate(EnvironmentVariables.Process), ScheduleMinute = EmbeddedScheduleMinute }, cancellationToken).ConfigureAwait(false);
        owned.Add(wallaroo);
        return (new WallarooConnection(wallaroo.Address, wallaroo.Token), wallaroo.Build);
    }

    /// <summary>The LangPack's <c>Algorithmia</c> package, vendored into Racetrack jobs and Wallaroo orchestrations.</summary>
    private static string ClientPackage() =>
        Path.Combine(Path.GetDirectoryName(typeof(RacetrackService).Assembly.Location) ?? AppContext.BaseDirectory, "LangPacks", "python3", "Algorithmia");

    private async Task<(RacetrackConnection, BuildFlavour)> StartRacetrackProcessAsync(string data, ServerLaunch launch, CancellationToken cancellationToken)
    {
        var racetrack = await TokenServerProcess.StartRacetrackAsync(data, cancellationToken, launch).ConfigureAwait(false);
        owned.Add(racetrack);
        return (new RacetrackConnection(racetrack.Address, racetrack.Token), racetrack.Build);
    }

    private async Task<(RacetrackConnection, BuildFlavour)> StartRacetrackHostAsync(string data, CancellationToken cancellationToken)
    {
        var racetrack = await RacetrackHost.StartAsync(new RacetrackOptions { DataDirectory = data, Python = PythonInterpreter.Locate(EnvironmentVariables.Process) }, cancellationToken).ConfigureAwait(false);
        owned.Add(racetrack);
        return (new RacetrackConnection(racetrack.Address, racetrack.AuthToken), racetrack.Build);
    }

    /// <summary>The embedded source cluster (user <c>quality</c>, seeded from <c>artifacts/</c>), started once.</summary>
    private async Task<AlgorithmiaClient> EmbeddedSourceAsync(RepositoryLayout layout, Hosting hosting, CancellationToken cancellationToken)
    {
        if (embeddedSource is not null)
        {
            return embeddedSource;
        }

        var source = await StartClusterAsync("quality", new RuntimeOptions(), hosting, sourceLaunch, cancellationToken).ConfigureAwait(false);
        secrets.AddRange([.. source.UserKeys.Values, source.AdminKey]);
        embeddedSource = Own(new AlgorithmiaClient(new ClusterConnection("source", source.Address, source.UserKeys["quality"])));
        await ArtifactSeeder.SeedAsync(embeddedSource, "quality", layout.ArtifactsDirectory, cancellationToken).ConfigureAwait(false);
        return embeddedSource;
    }

    private async Task<IEmbeddedCluster> StartClusterAsync(string user, RuntimeOptions runtime, Hosting hosting, ServerLaunch launch, CancellationToken cancellationToken, string? moreEnvironmentsFile = null, Uri? requestComplete = null)
    {
        var data = Directory.CreateTempSubdirectory($"testbench-{user}-cluster-").FullName;
        dataDirectories.Add(data);
        IEmbeddedCluster cluster = hosting == Hosting.OutOfProcess
            ? await LocalClusterProcess.StartAsync(data, [user], runtime, cancellationToken, moreEnvironmentsFile, requestComplete, launch).ConfigureAwait(false)
            : await LocalCluster.Hosting.LocalCluster.StartAsync(
                new LocalClusterOptions { DataDirectory = data, Users = new Dictionary<string, string?> { [user] = null }, Python = PythonInterpreter.Locate(EnvironmentVariables.Process), Runtime = runtime, MoreEnvironmentsFile = moreEnvironmentsFile, RequestComplete = requestComplete },
                cancellationToken).ConfigureAwait(false);
        owned.Add(cluster);
        return cluster;
    }

    private T Own<T>(T client)
        where T : IDisposable
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
