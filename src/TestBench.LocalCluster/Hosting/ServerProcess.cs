using System.Diagnostics;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// A server of this assembly's executable in a process of its own (see <see cref="LocalClusterProcess"/> for why): started
/// with a command, it prints one JSON line once it listens and stops when its standard input closes, so a killed test
/// host leaves no server or worker behind.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process process;

    private ServerProcess(Process process, string announcement)
    {
        this.process = process;
        Announcement = announcement;
    }

    /// <summary>The JSON line the server printed once it listened. It holds secrets: never log it.</summary>
    public string Announcement { get; }

    public int ProcessId => process.Id;

    /// <summary>Starts <c>TestBench.LocalCluster <paramref name="arguments"/></c> and returns once it announced itself.</summary>
    /// <param name="what">What the server is, for error messages: "the embedded cluster".</param>
    /// <param name="arguments">The command and its options; they must include <c>--announce json --stop-with-input</c>.</param>
    /// <param name="launch">Which build, on which CPUs.</param>
    /// <param name="cancellationToken">Stops waiting for the announcement (and the server).</param>
    public static async Task<ServerProcess> StartAsync(string what, IReadOnlyList<string> arguments, ServerLaunch launch, CancellationToken cancellationToken)
    {
        var process = ExternalCommand.Start(Command(arguments, launch));
        var errors = new BoundedLog(40);
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);
        process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            var announcement = await ReadAnnouncementAsync(what, process, errors, deadline.Token).ConfigureAwait(false);
            // Whatever the server still prints must be read, or it would block on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new ServerProcess(process, announcement);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            throw new InvalidOperationException($"{what} did not start within {StartTimeout.TotalSeconds:0} s{errors.Describe()}");
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing its input is the server's signal to stop gracefully (workers included).
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

    private static CommandSpec Command(IReadOnlyList<string> arguments, ServerLaunch launch)
    {
        var directory = launch.Directory;
        var cpus = launch.Cpus;
        var appHost = Path.Combine(directory, OperatingSystem.IsWindows() ? "TestBench.LocalCluster.exe" : "TestBench.LocalCluster");
        var (program, start) = File.Exists(appHost)
            ? (appHost, Array.Empty<string>())
            : (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(directory, "TestBench.LocalCluster.dll")]);
        // taskset execs the server in its own process (the same id), and every worker it starts inherits the CPU list.
        string[] placed = cpus is null ? [] : ["-c", cpus, program];
        return new CommandSpec
        {
            Program = cpus is null ? program : "taskset",
            Arguments = [.. placed, .. start, .. arguments],
            // Fully optimized code from the first call, as a long-running server has after tiering settles: with tiered
            // compilation a fresh server runs 2-3× slower for its first ~10,000 calls, and a run measured its JIT instead.
            Environment = new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0", ["DOTNET_ReadyToRun"] = "0" },
        };
    }

    private static async Task<string> ReadAnnouncementAsync(string what, Process process, BoundedLog errors, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return line;
            }
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before it listened{errors.Describe()}");
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
