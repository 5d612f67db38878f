using System.Runtime.InteropServices;
using TestBench.LocalCluster.LangServer;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster;

/// <summary>Command line: <c>cluster</c> (the default) or <c>langserver</c>; see <see cref="Usage"/>.</summary>
internal static class Program
{
    private const string Usage = """
        usage:
          TestBench.LocalCluster [cluster] [--data DIR] [--port N] [--user NAME]... [--log-level LEVEL]
                                 [--call-delay-ms N] [--slowdown F] [--stall EVERY_MS:FOR_MS] [--announce json]
                                 [--stop-with-input]
              runs an Algorithmia-compatible cluster on http://127.0.0.1:N and prints its address and keys
              (defaults: --data ./.testbench-cluster, a free port, users 'quality' and 'testbench', log level
              information). Test hooks: --call-delay-ms adds time to every call, --slowdown makes calls from
              outside F times as long, --stall freezes call handling for FOR_MS at the start of every EVERY_MS.
              --announce json prints the address, keys and build as one JSON line;
              --stop-with-input stops the cluster when its standard input closes.
          TestBench.LocalCluster langserver <algorithm-dir> [--port N] [--name NAME] [--concurrency N] [--queue N]
              builds the algorithm and serves it on http://127.0.0.1:N (POST /, GET /health, GET /metrics)
        environment: TESTBENCH_PYTHON names the Python interpreter (default: /usr/bin/python3, then python3)
        """;

    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM both stop the server gracefully, so workers are shut down, not orphaned.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            if (args.Any(a => a is "--help" or "-h"))
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (args.Length > 0 && args[0] == "langserver")
            {
                var options = ParseLangServer(args);
                await using var host = await LangServerHost.StartAsync(options, stop.Token).ConfigureAwait(false);
                Console.WriteLine($"LangServer for {host.Pool.Label} listening on {host.Address}");
                await WaitForStopAsync(stop.Token).ConfigureAwait(false);
            }
            else
            {
                var command = ClusterCommand.Parse(args.Length > 0 && args[0] == "cluster" ? args[1..] : args);
                await using var cluster = await Hosting.LocalCluster.StartAsync(command.Options, stop.Token).ConfigureAwait(false);
                if (command.AnnounceJson)
                {
                    Console.WriteLine(cluster.Announcement().ToJson());
                }
                else
                {
                    Console.WriteLine($"Local cluster listening on {cluster.Address} (data in {Path.GetFullPath(command.Options.DataDirectory)})");
                    foreach (var (user, key) in cluster.UserKeys)
                    {
                        Console.WriteLine($"  user {user}: API key {key}");
                    }

                    Console.WriteLine($"  admin API key {cluster.AdminKey}");
                }

                if (command.StopWithInput)
                {
                    _ = StopWhenInputClosesAsync(stop);
                }

                await WaitForStopAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Reads standard input to its end (the starting process closed it, or went away), then stops.</summary>
    private static async Task StopWhenInputClosesAsync(CancellationTokenSource stop)
    {
        using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await input.ReadAsync(buffer).ConfigureAwait(false) > 0)
        {
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static async Task WaitForStopAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static LangServerOptions ParseLangServer(string[] args)
    {
        var directory = args.Length > 1 ? args[1] : throw new ArgumentException("langserver needs an algorithm directory");
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"algorithm directory '{directory}' does not exist");
        }

        int port = 0, concurrency = new RuntimeOptions().MaxConcurrency, queue = new RuntimeOptions().MaxQueueLength;
        string? name = null;
        for (var i = 2; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--port": port = ParseInt(args[i], value, 0, 65535); break;
                case "--name": name = value; break;
                case "--concurrency": concurrency = ParseInt(args[i], value, 1, 64); break;
                case "--queue": queue = ParseInt(args[i], value, 0, 100_000); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }

            i++;
        }

        return new LangServerOptions
        {
            AlgorithmDirectory = directory,
            AlgorithmName = name,
            Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
            Port = port,
            Runtime = new RuntimeOptions { MaxConcurrency = concurrency, MaxQueueLength = queue },
        };
    }

    internal static int ParseInt(string option, string value, int min, int max) =>
        int.TryParse(value, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"option {option} is '{value}'; it must be a whole number from {min} to {max}");
}
