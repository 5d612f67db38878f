using System.CommandLine;
using TestBench.LocalCluster.Racetrack;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>racetrack</c> command: an embedded Racetrack (Lifecycle API and Pub) on 127.0.0.1.</summary>
/// <param name="Options">The Racetrack's settings.</param>
/// <param name="Lifetime">How it announces itself and when it stops.</param>
internal sealed record RacetrackCommandLine(RacetrackOptions Options, ServerLifetime Lifetime);

/// <summary>The symbols of the <c>racetrack</c> command.</summary>
internal sealed class RacetrackCommand
{
    private readonly ServerSymbols server = new("Where deployed jobs are kept", ".testbench-racetrack");

    public Command Create(Func<RacetrackCommandLine, CancellationToken, Task> run)
    {
        var command = new Command("racetrack", "Runs an embedded Racetrack on http://127.0.0.1:N: Lifecycle at /api/v1, Pub at /pub/job/{name}/{version}; prints its token");
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
        server.Lifetime(result));
}
