using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// An embedded Racetrack on 127.0.0.1: the Lifecycle API at <c>/api/v1</c> and Pub with the python3 job type at
/// <c>/pub/job/{name}/{version}</c>, one token, jobs run by warm sandboxed workers. What it does not emulate is in the
/// README ("Embedded Racetrack").
/// </summary>
public sealed class RacetrackHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private RacetrackHost(WebApplication app, Uri address, string token)
    {
        this.app = app;
        Address = address;
        AuthToken = token;
    }

    /// <summary>Lifecycle's address, e.g. <c>http://127.0.0.1:40123/</c>; Pub is <c>pub/</c> under it.</summary>
    public Uri Address { get; }

    /// <summary>The <c>X-Racetrack-Auth</c> token. A secret: never log it.</summary>
    public string AuthToken { get; }

    public Uri PubAddress => new(Address, "pub/");

    /// <summary>How the serving code was built: a benchmark through a Debug or instrumented Racetrack says so.</summary>
    public BuildFlavour Build { get; } = BuildFlavour.Of(typeof(RacetrackHost).Assembly, "the embedded Racetrack");

    /// <summary>What <c>--announce json</c> prints: the address, the token and the build.</summary>
    public TokenServerAnnouncement Announcement() => new() { Address = Address, Token = AuthToken, Optimized = Build.Optimized, Instrumented = Build.Instrumented };

    public static async Task<RacetrackHost> StartAsync(RacetrackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var token = options.AuthToken ?? RacetrackAuth.NewToken();
        var sandbox = await Sandbox.DetectAsync(cancellationToken).ConfigureAwait(false);
        // A deploy carries the job's whole build context, base64-encoded.
        var builder = LoopbackHost.CreateBuilder(options.Port, options.LogLevel, maxRequestBodyBytes: 512L * 1024 * 1024);
        builder.Services.AddSingleton(new RacetrackAuth(token));
        var familyTokens = new JobFamilyTokens();
        builder.Services.AddSingleton(familyTokens);
        builder.Services.AddSingleton(provider => new AsyncTaskStore(provider.GetRequiredService<TimeProvider>()));
        Uri? address = null;
        builder.Services.AddSingleton(provider => new RacetrackService(
            Path.GetFullPath(options.DataDirectory), options.Python, sandbox, familyTokens, () => new Uri(address!, "pub"), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RacetrackService>>()));
        var app = builder.Build();
        LoopbackHost.ReportIsolation(app, sandbox);
        app.UseStatusCodePages(context => LifecycleErrors.WriteUnmatchedAsync(context.HttpContext));
        app.MapLifecycleEndpoints(() => address!);
        app.MapPubEndpoints();
        app.MapPubAsyncEndpoints();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        address = ListeningAddress.Of(app);
        return new RacetrackHost(app, address, token);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<RacetrackService>().DisposeAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
