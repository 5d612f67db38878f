using System.Globalization;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster;

/// <summary>The <c>cluster</c> command's options, parsed and checked; every problem is an <see cref="ArgumentException"/> naming the option.</summary>
internal sealed record ClusterCommand(LocalClusterOptions Options, bool AnnounceJson, bool StopWithInput)
{
    public static ClusterCommand Parse(string[] args)
    {
        var data = ".testbench-cluster";
        var port = 0;
        var users = new List<string>();
        var logLevel = LogLevel.Information;
        var runtime = new RuntimeOptions();
        bool announceJson = false, stopWithInput = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--stop-with-input")
            {
                stopWithInput = true;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--port": port = Program.ParseInt(args[i], value, 0, 65535); break;
                case "--user": users.Add(value); break;
                case "--log-level": logLevel = ParseLogLevel(value); break;
                case "--call-delay-ms": runtime = runtime with { CallDelay = TimeSpan.FromMilliseconds(Program.ParseInt(args[i], value, 0, 60_000)) }; break;
                case "--slowdown": runtime = runtime with { Slowdown = ParseSlowdown(value) }; break;
                case "--stall": runtime = runtime with { Stall = StallSchedule.Parse(value) }; break;
                case "--announce": announceJson = value == "json" ? true : throw new ArgumentException($"option --announce is '{value}'; the only format is 'json'"); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }

            i++;
        }

        var options = new LocalClusterOptions
        {
            DataDirectory = data,
            Port = port,
            Users = (users.Count > 0 ? users : ["quality", "testbench"]).ToDictionary(u => u, _ => (string?)null),
            Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
            LogLevel = logLevel,
            Runtime = runtime,
        };
        return new ClusterCommand(options, announceJson, stopWithInput);
    }

    private static LogLevel ParseLogLevel(string value) =>
        Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(value, out _)
            ? level
            : throw new ArgumentException($"option --log-level is '{value}'; allowed: {string.Join(", ", Enum.GetNames<LogLevel>().Select(n => n.ToLowerInvariant()))}");

    private static double ParseSlowdown(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor is >= 1 and <= 10
            ? factor
            : throw new ArgumentException($"option --slowdown is '{value}'; it must be a number from 1 to 10");
}
