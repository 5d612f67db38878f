using System.Net;
using TestBench.LocalCluster.Api;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Runtime;

using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.LangServer;

/// <summary>
/// A standalone LangServer for one algorithm directory, like the platform's: it builds the algorithm (virtual
/// environment, requirements, the algorithm's tests), keeps it warm and serves it on 127.0.0.1.
/// </summary>
public sealed class LangServerHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly WorkerPool pool;
    private readonly string workDirectory;

    private LangServerHost(WebApplication app, WorkerPool pool, string workDirectory, Uri address, BuildResult build)
    {
        this.app = app;
        this.pool = pool;
        this.workDirectory = workDirectory;
        Address = address;
        Build = build;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The build that produced the running algorithm.</summary>
    public BuildResult Build { get; }

    /// <summary>The worker pool, for diagnostics and tests.</summary>
    public WorkerPool Pool => pool;

    /// <summary>Builds the algorithm and starts serving it.</summary>
    /// <exception cref="InvalidOperationException">The build failed; the message holds its log.</exception>
    public static async Task<LangServerHost> StartAsync(LangServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Runtime.Validate();
        var directory = Path.GetFullPath(options.AlgorithmDirectory);
        var name = options.AlgorithmName ?? Path.GetFileName(directory.TrimEnd('/'));
        var time = TimeProvider.System;
        var workDirectory = Directory.CreateTempSubdirectory("testbench-langserver-").FullName;
        var sandbox = await Sandbox.DetectAsync(cancellationToken).ConfigureAwait(false);
        await Console.Error.WriteLineAsync(sandbox.Describe()).ConfigureAwait(false);

        // The build and the workers use a copy: a sandbox under a root server would otherwise take over the user's folder.
        var code = Path.Combine(workDirectory, "code");
        CopyFolder(directory, code);
        var build = await new PythonBuilder(time, sandbox.Sandbox)
            .BuildAsync(name, code, Path.Combine(workDirectory, "venv"), options.Python, cancellationToken)
            .ConfigureAwait(false);
        if (!build.Succeeded)
        {
            Directory.Delete(workDirectory, recursive: true);
            throw new InvalidOperationException($"Building {name} in {directory} failed:{Environment.NewLine}{build.Log}");
        }

        var metrics = new RuntimeMetrics();
        var spec = new WorkerSpec { Label = name, AlgorithmName = name, Directory = code, Python = build.Python, BaseInterpreter = options.Python, Environment = options.AlgorithmEnvironment, Sandbox = sandbox.Sandbox };
        var pool = new WorkerPool(spec, options.Runtime, RunnerPath, time, metrics);
        metrics.QueueLengths = () => [(pool.Label, pool.Queued)];
        await pool.WarmUpAsync(cancellationToken).ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = AlgorithmRequestReader.MaxBodyBytes;
        });
        var app = builder.Build();
        app.MapGroup("").MapLangServerEndpoints(pool, metrics);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = Hosting.ListeningAddress.Of(app);
        return new LangServerHost(app, pool, workDirectory, address, build);
    }

    /// <summary>The Python runner shipped next to the assembly.</summary>
    public static string RunnerPath => Path.Combine(AppContext.BaseDirectory, "LangPacks", "python3", "pipe.py");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        await pool.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(workDirectory, recursive: true);
    }

    /// <summary>Copies a folder's files and subfolders (links are copied as links, never followed).</summary>
    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo folder)
            {
                CopyFolder(folder.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
