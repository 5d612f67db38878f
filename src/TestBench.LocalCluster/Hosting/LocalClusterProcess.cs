using System.Globalization;
using TestBench.Harness.Measuring;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// An embedded cluster in a process of its own, started from this assembly's optimized executable: the server's
/// garbage collector, thread pool and JIT are then not shared with the process that measures it, as on a real
/// platform. It stops when disposed, and by itself when the process that started it goes away (its standard
/// input closes), so a killed test host leaves no cluster or worker behind.
/// </summary>
public sealed class LocalClusterProcess : IEmbeddedCluster
{
    private readonly ServerProcess process;

    private LocalClusterProcess(ServerProcess process, ClusterAnnouncement announcement)
    {
        this.process = process;
        Address = announcement.Address;
        UserKeys = announcement.UserKeys;
        AdminKey = announcement.AdminKey;
        Build = new BuildFlavour("the embedded destination cluster", announcement.Optimized, announcement.Instrumented);
    }

    public Uri Address { get; }

    /// <summary>The cluster's process, for diagnostics and tests.</summary>
    public int ProcessId => process.ProcessId;

    public IReadOnlyDictionary<string, string> UserKeys { get; }

    public string AdminKey { get; }

    public BuildFlavour Build { get; }

    /// <summary>Starts a cluster for <paramref name="users"/> (random keys) with its state under <paramref name="dataDirectory"/>
    /// and returns once it listens; <paramref name="moreEnvironmentsFile"/> adds the user's environments to the shipped ones
    /// (<c>--environments</c>); <paramref name="launch"/> picks its build and the CPUs it and its workers run on.</summary>
    public static async Task<LocalClusterProcess> StartAsync(string dataDirectory, IReadOnlyList<string> users, RuntimeOptions runtime, CancellationToken cancellationToken, string? moreEnvironmentsFile = null, Uri? requestComplete = null, ServerLaunch? launch = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Validate();
        var process = await ServerProcess.StartAsync("the embedded cluster", Arguments(dataDirectory, users, runtime, moreEnvironmentsFile, requestComplete), launch ?? ServerLaunch.Default, cancellationToken).ConfigureAwait(false);
        try
        {
            return new LocalClusterProcess(process, ClusterAnnouncement.Parse(process.Announcement));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static string[] Arguments(string dataDirectory, IReadOnlyList<string> users, RuntimeOptions runtime, string? moreEnvironmentsFile, Uri? requestComplete)
    {
        string[] stall = runtime.Stall is { } schedule ? ["--stall", FormattableString.Invariant($"{schedule.Every.TotalMilliseconds:0}:{schedule.For.TotalMilliseconds:0}")] : [];
        return
        [
            "cluster", "--data", dataDirectory, "--announce", "json", "--stop-with-input", "--log-level", "warning",
            "--call-delay-ms", runtime.CallDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--slowdown", runtime.Slowdown.ToString(CultureInfo.InvariantCulture),
            .. stall,
            .. moreEnvironmentsFile is null ? Array.Empty<string>() : ["--environments", moreEnvironmentsFile],
            .. requestComplete is null ? Array.Empty<string>() : ["--request-complete", requestComplete.ToString()],
            .. users.SelectMany(user => new[] { "--user", user }),
        ];
    }
}
