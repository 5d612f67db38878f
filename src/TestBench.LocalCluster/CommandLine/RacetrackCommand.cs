using System.CommandLine;
using TestBench.LocalCluster.Racetrack;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>racetrack</c> command: an embedded Racetrack (Lifecycle API and Pub) on 127.0.0.1.</summary>
/// <param name="Options">The Racetrack's settings.</param>
/// <param name="AnnounceJson">Print the address and token as one JSON line.</param>
/// <param name="StopWithInput">Stop when standard input closes.</param>
internal sealed record RacetrackCommandLine(RacetrackOptions Options, bool AnnounceJson, bool StopWithInput);

/// <summary>The symbols of the <c>racetrack</c> command.</summary>
internal sealed class RacetrackCommand
{
    private readonly ServerSymbols server = new("Where deployed jobs are kept", ".testbench-racetrack");

    private readonly Option<string?> announce = new("--announce")
    {
        Description = "Print the address and token as one JSON line",
        HelpName = "json",
        CustomParser = OptionParsers.From<string?>(value => value == "json" ? value : throw new ArgumentException($"option --announce is '{value}'; the only format is 'json'")),
    };

    private readonly Option<bool> stopWithInput = new("--stop-with-input") { Description = "Stop when standard input closes" };

    public Command Create(Func<RacetrackCommandLine, CancellationToken, Task> run)
    {
        var command = new Command("racetrack", "Runs an embedded Racetrack on http://127.0.0.1:N: Lifecycle at /api/v1, Pub at /pub/job/{name}/{version}; prints its token")
        {
            announce, stopWithInput,
        };
        server.AddTo(command);
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private RacetrackCommandLine Read(ParseResult result) => new(
        new RacetrackOptions
        {
            DataDirectory = result.GetValue(server.Data)!,
            Port = result.GetValue(server.Port),
            Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
            LogLevel = result.GetValue(server.LogLevel),
        },
        result.GetValue(announce) is not null,
        result.GetValue(stopWithInput));
}
