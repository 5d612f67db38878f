using System.CommandLine;
using System.Runtime.InteropServices;
using TestBench.LocalCluster.CommandLine;
using TestBench.LocalCluster.LangServer;

namespace TestBench.LocalCluster;

/// <summary>
/// Command line (System.CommandLine; <c>--help</c> on any command): <c>cluster</c>, also the default,
/// <c>langserver</c>, <c>racetrack</c> and <c>wallaroo</c>. Ctrl+C and SIGTERM stop the server gracefully, so workers are shut down, not orphaned.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var root = CreateCommandLine();
        // The signals above stop the server; System.CommandLine's own Ctrl+C handling would end the process first.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The root command runs a cluster, like <c>cluster</c>; <c>langserver</c> serves one algorithm.</summary>
    internal static RootCommand CreateCommandLine()
    {
        var root = new RootCommand("""
            Runs an Algorithmia-compatible cluster on http://127.0.0.1:N and prints its address and keys.
            TESTBENCH_PYTHON names the Python interpreter (default: /usr/bin/python3, then python3).
            """);
        var clusterOptions = new ClusterCommand.Symbols();
        clusterOptions.AddTo(root);
        root.SetAction((result, cancellationToken) => RunClusterAsync(clusterOptions.Read(result), cancellationToken));

        var cluster = new Command("cluster", "Runs an Algorithmia-compatible cluster (the default command)");
        var subcommandOptions = new ClusterCommand.Symbols();
        subcommandOptions.AddTo(cluster);
        cluster.SetAction((result, cancellationToken) => RunClusterAsync(subcommandOptions.Read(result), cancellationToken));
        root.Add(cluster);
        root.Add(new LangServerCommand().Create(RunLangServerAsync));
        root.Add(new RacetrackCommand().Create(RunRacetrackAsync));
        root.Add(new WallarooCommand().Create(RunWallarooAsync));
        return root;
    }

    private static async Task RunClusterAsync(ClusterCommand command, CancellationToken stop)
    {
        await using var cluster = await Hosting.LocalCluster.StartAsync(command.Options, stop).ConfigureAwait(false);
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

            if (!cluster.Keys.AdminKept)
            {
                Console.WriteLine($"  admin API key {cluster.AdminKey}");
            }

            if (cluster.Keys.DescribeKept() is { Length: > 0 } kept)
            {
                Console.WriteLine($"  keys of {kept}: kept from an earlier start; stored only as salted hashes, so not shown (delete {Access.KeyFile.Name} in the data folder for new ones)");
            }
        }

        using var inputClosed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (command.StopWithInput)
        {
            _ = StopWhenInputClosesAsync(inputClosed);
        }

        await WaitForStopAsync(inputClosed.Token).ConfigureAwait(false);
    }

    private static async Task RunRacetrackAsync(RacetrackCommandLine command, CancellationToken stop)
    {
        await using var racetrack = await Racetrack.RacetrackHost.StartAsync(command.Options, stop).ConfigureAwait(false);
        await ServeAsync(
            command.Lifetime,
            racetrack.Announcement(),
            [
                $"Racetrack listening on {racetrack.Address} (Lifecycle {racetrack.Address}api/v1, Pub {racetrack.PubAddress}; jobs in {Path.GetFullPath(command.Options.DataDirectory)})",
                $"  {Racetrack.RacetrackAuth.Header}: {racetrack.AuthToken}",
            ],
            stop).ConfigureAwait(false);
    }

    private static async Task RunWallarooAsync(WallarooCommandLine command, CancellationToken stop)
    {
        await using var wallaroo = await Wallaroo.WallarooHost.StartAsync(command.Options, stop).ConfigureAwait(false);
        await ServeAsync(
            command.Lifetime,
            wallaroo.Announcement(),
            [
                $"Wallaroo orchestration service listening on {wallaroo.Address} (API {wallaroo.Address}v1/api; data in {Path.GetFullPath(command.Options.DataDirectory)})",
                $"  Authorization: Bearer {wallaroo.Token}",
            ],
            stop).ConfigureAwait(false);
    }

    /// <summary>Tells about a started server (one JSON line, or text for people), then waits until it should stop.</summary>
    private static async Task ServeAsync(ServerLifetime lifetime, Hosting.TokenServerAnnouncement announcement, string[] text, CancellationToken stop)
    {
        Console.WriteLine(lifetime.AnnounceJson ? announcement.ToJson() : string.Join(Environment.NewLine, text));
        using var inputClosed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (lifetime.StopWithInput)
        {
            _ = StopWhenInputClosesAsync(inputClosed);
        }

        await WaitForStopAsync(inputClosed.Token).ConfigureAwait(false);
    }

    private static async Task RunLangServerAsync(LangServerOptions options, CancellationToken stop)
    {
        await using var host = await LangServerHost.StartAsync(options, stop).ConfigureAwait(false);
        Console.WriteLine($"LangServer for {host.Pool.Label} listening on {host.Address}");
        await WaitForStopAsync(stop).ConfigureAwait(false);
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
}
