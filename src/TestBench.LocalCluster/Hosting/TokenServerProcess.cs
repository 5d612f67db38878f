using System.Globalization;
using TestBench.Harness.Measuring;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// An embedded Racetrack or Wallaroo service in a process of its own, as <see cref="LocalClusterProcess"/> is for the
/// cluster: it announces its address and its one token, and stops when this object is disposed.
/// </summary>
public sealed class TokenServerProcess : IAsyncDisposable
{
    private readonly ServerProcess process;

    private TokenServerProcess(ServerProcess process, TokenServerAnnouncement announcement, string what)
    {
        this.process = process;
        Address = announcement.Address;
        Token = announcement.Token;
        Build = new BuildFlavour(what, announcement.Optimized, announcement.Instrumented);
    }

    /// <summary>The server's address: Racetrack's Lifecycle (Pub is <c>pub/</c> under it), Wallaroo's API root.</summary>
    public Uri Address { get; }

    /// <summary>The token callers send. A secret: never log it.</summary>
    public string Token { get; }

    public BuildFlavour Build { get; }

    /// <summary>The server's process, for measuring it from outside.</summary>
    public int ProcessId => process.ProcessId;

    /// <summary>Starts a Racetrack with its jobs under <paramref name="dataDirectory"/>; returns once it listens.</summary>
    public static Task<TokenServerProcess> StartRacetrackAsync(string dataDirectory, CancellationToken cancellationToken, ServerLaunch? launch = null) =>
        StartAsync("the embedded Racetrack", ["racetrack", "--data", dataDirectory], launch, cancellationToken);

    /// <summary>Starts a Wallaroo orchestration service with its data under <paramref name="dataDirectory"/>, a minute of
    /// its cron schedules lasting <paramref name="scheduleMinute"/>; returns once it listens.</summary>
    public static Task<TokenServerProcess> StartWallarooAsync(string dataDirectory, TimeSpan scheduleMinute, CancellationToken cancellationToken, ServerLaunch? launch = null) =>
        StartAsync(
            "the embedded Wallaroo",
            ["wallaroo", "--data", dataDirectory, "--schedule-minute", scheduleMinute.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)],
            launch,
            cancellationToken);

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static async Task<TokenServerProcess> StartAsync(string what, IReadOnlyList<string> command, ServerLaunch? launch, CancellationToken cancellationToken)
    {
        var process = await ServerProcess.StartAsync(what, [.. command, "--port", "0", "--announce", "json", "--stop-with-input", "--log-level", "warning"], launch ?? ServerLaunch.Default, cancellationToken).ConfigureAwait(false);
        try
        {
            return new TokenServerProcess(process, TokenServerAnnouncement.Parse(process.Announcement, what), what);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
