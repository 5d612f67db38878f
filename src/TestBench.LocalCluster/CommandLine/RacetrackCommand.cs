using System.CommandLine;
using TestBench.LocalCluster.Racetrack;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>racetrack</c> command: an embedded Racetrack (Lifecycle API and Pub) on 127.0.0.1.</summary>
internal sealed class RacetrackCommand
{
    private readonly Option<string> data = new("--data")
    {
        Description = "Where deployed jobs are kept",
        HelpName = "DIR",
        DefaultValueFactory = _ => ".testbench-racetrack",
    };

    private readonly Option<int> port = new("--port") { Description = "The port on 127.0.0.1 (0: a free one)", HelpName = "N", CustomParser = OptionParsers.WholeNumber(0, 65535) };

    private readonly Option<LogLevel> logLevel = new("--log-level")
    {
        Description = "trace, debug, information, warning, error, critical or none",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => LogLevel.Information,
        CustomParser = OptionParsers.LogLevel,
    };

    public Command Create(Func<RacetrackOptions, CancellationToken, Task> run)
    {
        var command = new Command("racetrack", "Runs an embedded Racetrack on http://127.0.0.1:N: Lifecycle at /api/v1, Pub at /pub/job/{name}/{version}; prints its token")
        {
            data, port, logLevel,
        };
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private RacetrackOptions Read(ParseResult result) => new()
    {
        DataDirectory = result.GetValue(data)!,
        Port = result.GetValue(port),
        Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
        LogLevel = result.GetValue(logLevel),
    };
}
