using System.Runtime.InteropServices;
using TestBench.LocalCluster.Api;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster;

/// <summary>Command line: <c>langserver &lt;algorithm-dir&gt; [--port N] [--name X] [--concurrency N] [--queue N]</c>.</summary>
internal static class Program
{
    private const string Usage = """
        usage:
          TestBench.LocalCluster langserver <algorithm-dir> [--port N] [--name NAME] [--concurrency N] [--queue N]
              builds the algorithm and serves it on http://127.0.0.1:N (POST /, GET /health, GET /metrics)
        environment: TESTBENCH_PYTHON names the Python interpreter (default: /usr/bin/python3, then python3)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2 || args[0] != "langserver")
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        LangServerOptions options;
        try
        {
            options = ParseLangServer(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM both stop the server gracefully, so workers are shut down, not orphaned.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var host = await LangServerHost.StartAsync(options, stop.Token).ConfigureAwait(false);
        Console.WriteLine($"LangServer for {host.Pool.Label} listening on {host.Address}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static LangServerOptions ParseLangServer(string[] args)
    {
        var directory = args[1];
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

    private static int ParseInt(string option, string value, int min, int max) =>
        int.TryParse(value, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"option {option} is '{value}'; it must be a whole number from {min} to {max}");
}
