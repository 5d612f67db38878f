using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Hosting;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>An embedded Racetrack in a process of its own, as <see cref="LocalClusterProcess"/> is for the cluster.</summary>
public sealed class RacetrackProcess : IAsyncDisposable
{
    private readonly ServerProcess process;

    private RacetrackProcess(ServerProcess process, RacetrackAnnouncement announcement)
    {
        this.process = process;
        Address = announcement.Address;
        AuthToken = announcement.AuthToken;
        Build = new BuildFlavour("the embedded Racetrack", announcement.Optimized, announcement.Instrumented);
    }

    /// <summary>Lifecycle's address; Pub is <c>pub/</c> under it.</summary>
    public Uri Address { get; }

    /// <summary>The <c>X-Racetrack-Auth</c> token. A secret: never log it.</summary>
    public string AuthToken { get; }

    public BuildFlavour Build { get; }

    /// <summary>Starts a Racetrack with its jobs under <paramref name="dataDirectory"/>; returns once it listens.</summary>
    public static async Task<RacetrackProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var process = await ServerProcess.StartAsync(
            "the embedded Racetrack",
            ["racetrack", "--data", dataDirectory, "--port", "0", "--announce", "json", "--stop-with-input", "--log-level", "warning"],
            cancellationToken).ConfigureAwait(false);
        try
        {
            return new RacetrackProcess(process, RacetrackAnnouncement.Parse(process.Announcement));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
