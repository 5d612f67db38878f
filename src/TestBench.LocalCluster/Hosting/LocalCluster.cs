using System.Net;
using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Api;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Storage;

using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// An embedded Algorithmia-compatible cluster on 127.0.0.1: data API, algorithm management, git over HTTP,
/// builds, versions, calls run by warm Python workers, environments, health and metrics. Several clusters
/// can run in one process; each keeps all its state under its own data folder.
/// </summary>
public sealed class LocalCluster : IEmbeddedCluster
{
    private readonly WebApplication app;
    private readonly ClusterKeySet keys;

    private LocalCluster(WebApplication app, Uri address, ClusterKeySet keys)
    {
        this.app = app;
        this.keys = keys;
        Address = address;
    }

    /// <summary>The API address, e.g. <c>http://127.0.0.1:40123/</c> (clients add <c>/v1</c>).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Each user's API key, given or issued at this start. Secrets: never log them. A user whose key was kept from an
    /// earlier start on the same folder is not listed (see <see cref="Keys"/>): only its salted hash is stored.
    /// </summary>
    public IReadOnlyDictionary<string, string> UserKeys => keys.ShownUserKeys;

    /// <summary>The admin key (environment web API), when it was given or issued at this start.</summary>
    /// <exception cref="InvalidOperationException">The admin key was kept from an earlier start.</exception>
    public string AdminKey => keys.ShownAdminKey ?? throw new InvalidOperationException(KeptMessage("the admin"));

    /// <summary>Which keys were kept from an earlier start: they still work, but this process cannot show them.</summary>
    public ClusterKeySet Keys => keys;

    /// <summary>This assembly's build: a benchmark through a Debug or coverage-instrumented cluster says so.</summary>
    public BuildFlavour Build { get; } = BuildFlavour.Of(typeof(LocalCluster).Assembly, "the embedded destination cluster");

    /// <summary>What <c>--announce json</c> prints: address, keys and build, on one line.</summary>
    public ClusterAnnouncement Announcement() => keys.DescribeKept() is { Length: > 0 } kept ? throw new InvalidOperationException(KeptMessage(kept)) : new()
    {
        Address = Address,
        UserKeys = UserKeys,
        AdminKey = AdminKey,
        Optimized = Build.Optimized,
        Instrumented = Build.Instrumented,
    };

    /// <summary>The git URL of an algorithm's repository, with the user's credentials, as the original tool used.</summary>
    public Uri GitUrl(string user, string algorithm) =>
        new UriBuilder(new Uri(Address, $"git/{user}/{algorithm}.git")) { UserName = user, Password = UserKeys[user] }.Uri;

    /// <summary>Starts a cluster and returns once it listens.</summary>
    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var keys = ClusterKeySet.Resolve(options.DataDirectory, options.Users, options.AdminKey);
        var environmentsFile = options.EnvironmentsFile ?? Path.Combine(AppContext.BaseDirectory, "environments.json");
        var environments = EnvironmentCatalog.ReadFiles(environmentsFile, options.MoreEnvironmentsFile);

        var sandbox = await Sandbox.DetectAsync(cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // ASP.NET Core's own request lines carry the full URL, query string and all (a key in ?api_key= would be
        // logged); this cluster writes its own request lines, without them (RequestLogging).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (options.LoggerProvider is { } extra)
        {
            builder.Logging.AddProvider(extra);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            // Calls are capped at 10 MiB (with room for headers); data uploads and git pushes lift the cap per request.
            kestrel.Limits.MaxRequestBodySize = AlgorithmRequestReader.MaxBodyBytes + 64 * 1024;
        });
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sandbox);
        services.AddSingleton(new ApiKeys(keys));
        services.AddSingleton(new DataStore(options.DataDirectory));
        services.AddSingleton(new AlgorithmRegistry(options.DataDirectory));
        services.AddSingleton(new GitRepositories(options.DataDirectory));
        services.AddSingleton(new EnvironmentCatalog(environments, options.Python));
        services.AddSingleton(options.Runtime);
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<AlgorithmRuntime>();
        services.AddSingleton(provider => new BuildService(
            provider.GetRequiredService<AlgorithmRegistry>(), provider.GetRequiredService<GitRepositories>(), provider.GetRequiredService<EnvironmentCatalog>(),
            options.DataDirectory, sandbox, options.FailOnAlgorithmTests, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<BuildService>>()));

        if (options.RequestComplete is { } requestComplete)
        {
            services.AddSingleton(provider => new CompletionNotifier(requestComplete, provider.GetRequiredService<ILogger<CompletionNotifier>>()));
        }

        var app = builder.Build();
        LoopbackHost.ReportIsolation(app, sandbox);

        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<ErrorHandling>();
        app.UseStatusCodePages(context => ApiError.WriteUnmatchedAsync(context.HttpContext));
        app.MapObservabilityEndpoints();
        app.MapGitEndpoints();
        app.MapDataEndpoints();
        app.MapAlgorithmEndpoints();
        app.MapInvokeEndpoints();
        app.MapEnvironmentEndpoints();

        foreach (var user in keys.Users.Keys)
        {
            app.Services.GetRequiredService<DataStore>().EnsureOwner(user);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = ListeningAddress.Of(app);
        var runtime = app.Services.GetRequiredService<AlgorithmRuntime>();
        runtime.ClusterAddress = address;
        var metrics = app.Services.GetRequiredService<RuntimeMetrics>();
        metrics.QueueLengths = () => runtime.Pools.Select(p => (p.Label, p.Queued));
        return new LocalCluster(app, address, keys);
    }

    private static string KeptMessage(string kept) =>
        $"the keys of {kept} were kept from an earlier start on this data folder and are stored only as salted hashes, "
        + $"so they cannot be shown; give them in the options, or delete {KeyFile.Name} in the data folder for new ones";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<AlgorithmRuntime>().DisposeAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
