using System.CommandLine;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>cluster</c> command's options, parsed and checked.</summary>
/// <param name="Options">The cluster to start.</param>
/// <param name="AnnounceJson">Print the address, keys and build as one JSON line.</param>
/// <param name="StopWithInput">Stop when standard input closes.</param>
internal sealed record ClusterCommand(LocalClusterOptions Options, bool AnnounceJson, bool StopWithInput)
{
    /// <summary>Parses the <c>cluster</c> command's arguments; every problem is an <see cref="ArgumentException"/> naming the option.</summary>
    public static ClusterCommand Parse(string[] args)
    {
        var symbols = new Symbols();
        var command = new Command("cluster");
        symbols.AddTo(command);
        var result = command.Parse(args);
        return result.Errors.Count > 0
            ? throw new ArgumentException(string.Join("; ", result.Errors.Select(e => e.Message)))
            : symbols.Read(result);
    }

    /// <summary>The options of the <c>cluster</c> command, for a command line to add and read.</summary>
    internal sealed class Symbols
    {
        private readonly Option<string> data = new("--data")
        {
            Description = "Where the cluster keeps its state",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".testbench-cluster",
        };

        private readonly Option<int> port = new("--port")
        {
            Description = "The port on 127.0.0.1 (0: a free one)",
            HelpName = "N",
            CustomParser = OptionParsers.WholeNumber(0, 65535),
        };

        private readonly Option<string[]> users = new("--user")
        {
            Description = "A user to create, with a random key (repeatable; default: quality and testbench)",
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<LogLevel> logLevel = new("--log-level")
        {
            Description = "trace, debug, information, warning, error, critical or none",
            HelpName = "LEVEL",
            DefaultValueFactory = _ => LogLevel.Information,
            CustomParser = OptionParsers.LogLevel,
        };

        private readonly Option<int> callDelay = new("--call-delay-ms")
        {
            Description = "Test hook: milliseconds added to every call",
            HelpName = "N",
            CustomParser = OptionParsers.WholeNumber(0, 60_000),
        };

        private readonly Option<double> slowdown = new("--slowdown")
        {
            Description = "Test hook: calls from outside take F times as long (1 to 10)",
            HelpName = "F",
            DefaultValueFactory = _ => 1,
            CustomParser = OptionParsers.Number(1, 10),
        };

        private readonly Option<StallSchedule?> stall = new("--stall")
        {
            Description = "Test hook: call handling freezes for FOR_MS at the start of every EVERY_MS",
            HelpName = "EVERY_MS:FOR_MS",
            CustomParser = OptionParsers.From<StallSchedule?>(StallSchedule.Parse),
        };

        private readonly Option<string?> announce = new("--announce")
        {
            Description = "Print the address, keys and build as one JSON line",
            HelpName = "json",
            CustomParser = OptionParsers.From<string?>(value => value == "json" ? value : throw new ArgumentException($"option --announce is '{value}'; the only format is 'json'")),
        };

        private readonly Option<int> workerMemory = new("--worker-memory-mb")
        {
            Description = "Address space each worker may use, in MiB (0: no limit)",
            HelpName = "N",
            DefaultValueFactory = _ => (int)(new RuntimeOptions().MaxMemoryBytes!.Value / (1024 * 1024)),
            CustomParser = OptionParsers.WholeNumber(0, 65536),
        };

        private readonly Option<int> outputLimit = new("--max-output-kb")
        {
            Description = "What a call's printed output keeps, in KiB (the rest is counted, not kept)",
            HelpName = "N",
            DefaultValueFactory = _ => new RuntimeOptions().MaxOutputBytes / 1024,
            CustomParser = OptionParsers.WholeNumber(1, 256 * 1024),
        };

        private readonly Option<int> resultLimit = new("--max-result-mb")
        {
            Description = "The largest result a call may answer, in MiB (a bigger one answers an error)",
            HelpName = "N",
            DefaultValueFactory = _ => new RuntimeOptions().MaxResultBytes / (1024 * 1024),
            CustomParser = OptionParsers.WholeNumber(1, 1024),
        };

        private readonly Option<string?> environments = new("--environments")
        {
            Description = "A JSON file of more environments, added to the shipped environments.json (same format)",
            HelpName = "FILE",
            CustomParser = OptionParsers.From<string?>(value => File.Exists(value) ? value : throw new ArgumentException($"option --environments names '{value}', which is not a file")),
        };

        private readonly Option<bool> failOnTests = new("--fail-on-algorithm-tests")
        {
            Description = "Fail a build whose src/<Name>_test.py fails (default: a warning in the build log, as on the platform)",
        };

        private readonly Option<Uri?> requestComplete = new("--request-complete")
        {
            Description = "Post the result of every output=void call to this http address on 127.0.0.0/8, with the call's X- headers (the LangServer's async mode)",
            HelpName = "URL",
            CustomParser = OptionParsers.From<Uri?>(value => Uri.TryCreate(value, UriKind.Absolute, out var address)
                ? Api.CompletionNotifier.Check(address)
                : throw new ArgumentException($"option --request-complete names '{value}', which is not an absolute address")),
        };

        private readonly Option<bool> stopWithInput = new("--stop-with-input")
        {
            Description = "Stop the cluster when its standard input closes",
        };

        public void AddTo(Command command)
        {
            foreach (Option option in (Option[])[data, port, users, logLevel, callDelay, slowdown, stall, workerMemory, outputLimit, resultLimit, environments, failOnTests, requestComplete, announce, stopWithInput])
            {
                command.Add(option);
            }
        }

        public ClusterCommand Read(ParseResult result)
        {
            var named = result.GetValue(users) is { Length: > 0 } given ? given : ["quality", "testbench"];
            var options = new LocalClusterOptions
            {
                DataDirectory = result.GetValue(data)!,
                Port = result.GetValue(port),
                Users = named.Distinct(StringComparer.Ordinal).ToDictionary(u => u, _ => (string?)null),
                Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
                LogLevel = result.GetValue(logLevel),
                MoreEnvironmentsFile = result.GetValue(environments),
                FailOnAlgorithmTests = result.GetValue(failOnTests),
                RequestComplete = result.GetValue(requestComplete),
                Runtime = new RuntimeOptions
                {
                    CallDelay = TimeSpan.FromMilliseconds(result.GetValue(callDelay)),
                    Slowdown = result.GetValue(slowdown),
                    Stall = result.GetValue(stall),
                    MaxMemoryBytes = result.GetValue(workerMemory) is > 0 and var megabytes ? megabytes * 1024L * 1024 : null,
                    MaxOutputBytes = result.GetValue(outputLimit) * 1024,
                    MaxResultBytes = result.GetValue(resultLimit) * 1024 * 1024,
                },
            };
            return new ClusterCommand(options, result.GetValue(announce) is not null, result.GetValue(stopWithInput));
        }
    }
}
