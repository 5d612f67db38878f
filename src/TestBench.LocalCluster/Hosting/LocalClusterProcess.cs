using System.Diagnostics;
using System.Globalization;
using TestBench.Harness.Measuring;
using TestBench.Harness.Processes;
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
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process process;

    private LocalClusterProcess(Process process, ClusterAnnouncement announcement)
    {
        this.process = process;
        Address = announcement.Address;
        UserKeys = announcement.UserKeys;
        AdminKey = announcement.AdminKey;
        Build = new BuildFlavour("the embedded destination cluster", announcement.Optimized, announcement.Instrumented);
    }

    public Uri Address { get; }

    /// <summary>The cluster's process, for diagnostics and tests.</summary>
    public int ProcessId => process.Id;

    public IReadOnlyDictionary<string, string> UserKeys { get; }

    public string AdminKey { get; }

    public BuildFlavour Build { get; }

    /// <summary>Starts a cluster for <paramref name="users"/> (random keys) with its state under <paramref name="dataDirectory"/>
    /// and returns once it listens; <paramref name="moreEnvironmentsFile"/> adds the user's environments to the shipped ones
    /// (<c>--environments</c>).</summary>
    public static async Task<LocalClusterProcess> StartAsync(string dataDirectory, IReadOnlyList<string> users, RuntimeOptions runtime, CancellationToken cancellationToken, string? moreEnvironmentsFile = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Validate();
        var process = ExternalCommand.Start(Command(dataDirectory, users, runtime, moreEnvironmentsFile));
        var errors = new BoundedLog(40);
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);
        process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            var announcement = await ReadAnnouncementAsync(process, errors, deadline.Token).ConfigureAwait(false);
            // Whatever the cluster still prints must be read, or it would block on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new LocalClusterProcess(process, announcement);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            throw new InvalidOperationException($"the embedded cluster did not start within {StartTimeout.TotalSeconds:0} s{errors.Describe()}");
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing its input is the cluster's signal to stop gracefully (workers included).
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
        }

        process.Dispose();
    }

    private static CommandSpec Command(string dataDirectory, IReadOnlyList<string> users, RuntimeOptions runtime, string? moreEnvironmentsFile)
    {
        var directory = Path.GetDirectoryName(typeof(LocalClusterProcess).Assembly.Location) ?? AppContext.BaseDirectory;
        var appHost = Path.Combine(directory, OperatingSystem.IsWindows() ? "TestBench.LocalCluster.exe" : "TestBench.LocalCluster");
        var (program, start) = File.Exists(appHost)
            ? (appHost, Array.Empty<string>())
            : (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(directory, "TestBench.LocalCluster.dll")]);
        string[] stall = runtime.Stall is { } schedule ? ["--stall", FormattableString.Invariant($"{schedule.Every.TotalMilliseconds:0}:{schedule.For.TotalMilliseconds:0}")] : [];
        return new CommandSpec
        {
            Program = program,
            Arguments =
            [
                .. start,
                "cluster", "--data", dataDirectory, "--announce", "json", "--stop-with-input", "--log-level", "warning",
                "--call-delay-ms", runtime.CallDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                "--slowdown", runtime.Slowdown.ToString(CultureInfo.InvariantCulture),
                .. stall,
                .. moreEnvironmentsFile is null ? Array.Empty<string>() : ["--environments", moreEnvironmentsFile],
                .. users.SelectMany(user => new[] { "--user", user }),
            ],
            // Fully optimized code from the first call, as a long-running server has after tiering settles: with tiered
            // compilation a fresh server runs 2-3× slower for its first ~10,000 calls, and a run measured its JIT instead.
            Environment = new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0", ["DOTNET_ReadyToRun"] = "0" },
        };
    }

    private static async Task<ClusterAnnouncement> ReadAnnouncementAsync(Process process, BoundedLog errors, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return ClusterAnnouncement.Parse(line);
            }
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"the embedded cluster exited with code {process.ExitCode} before it listened{errors.Describe()}");
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>The last lines of a stream, kept for error messages.</summary>
    private sealed class BoundedLog(int capacity)
    {
        private readonly Queue<string> lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > capacity)
                {
                    lines.Dequeue();
                }
            }
        }

        public string Describe()
        {
            lock (lines)
            {
                return lines.Count == 0 ? "" : $"; its last error output:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
            }
        }
    }
}
