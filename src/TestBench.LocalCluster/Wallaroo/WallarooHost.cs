using System.Security.Cryptography;
using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>
/// An embedded Wallaroo orchestration service on 127.0.0.1: the orchestration and task routes at <c>/v1/api</c>, one
/// bearer token, runs in sandboxed processes. What it does not emulate is in the README ("Embedded Wallaroo").
/// </summary>
public sealed class WallarooHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private WallarooHost(WebApplication app, Uri address, string token)
    {
        this.app = app;
        Address = address;
        Token = token;
    }

    /// <summary>The API's address, e.g. <c>http://127.0.0.1:40123/</c>; routes are under <c>v1/api/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The bearer token. A secret: never log it.</summary>
    public string Token { get; }

    /// <summary>How the serving code was built: a benchmark through a Debug or instrumented service says so.</summary>
    public BuildFlavour Build { get; } = BuildFlavour.Of(typeof(WallarooHost).Assembly, "the embedded Wallaroo");

    /// <summary>What <c>--announce json</c> prints: the address, the token and the build.</summary>
    public TokenServerAnnouncement Announcement() => new() { Address = Address, Token = Token, Optimized = Build.Optimized, Instrumented = Build.Instrumented };

    public static async Task<WallarooHost> StartAsync(WallarooOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var token = options.Token ?? "wl" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var sandbox = await Sandbox.DetectAsync(cancellationToken).ConfigureAwait(false);
        var builder = LoopbackHost.CreateBuilder(options.Port, options.LogLevel, maxRequestBodyBytes: 600L * 1024 * 1024);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = 600L * 1024 * 1024);
        builder.Services.AddSingleton(provider => new WallarooService(
            options with { DataDirectory = Path.GetFullPath(options.DataDirectory) }, sandbox, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<WallarooService>>()));
        var app = builder.Build();
        LoopbackHost.ReportIsolation(app, sandbox);

        app.MapWallarooEndpoints(token);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new WallarooHost(app, ListeningAddress.Of(app), token);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<WallarooService>().DisposeAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
