using System.CommandLine;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Wallaroo;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>wallaroo</c> command: an embedded Wallaroo orchestration service on 127.0.0.1.</summary>
internal sealed class WallarooCommand
{
    private readonly Option<string> data = new("--data")
    {
        Description = "Where orchestrations and task runs are kept",
        HelpName = "DIR",
        DefaultValueFactory = _ => ".testbench-wallaroo",
    };

    private readonly Option<int> port = new("--port") { Description = "The port on 127.0.0.1 (0: a free one)", HelpName = "N", CustomParser = OptionParsers.WholeNumber(0, 65535) };

    private readonly Option<LogLevel> logLevel = new("--log-level")
    {
        Description = "trace, debug, information, warning, error, critical or none",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => LogLevel.Information,
        CustomParser = OptionParsers.LogLevel,
    };

    public Command Create(Func<WallarooOptions, CancellationToken, Task> run)
    {
        var command = new Command("wallaroo", "Runs an embedded Wallaroo orchestration service on http://127.0.0.1:N: orchestrations and tasks at /v1/api; prints its bearer token")
        {
            data, port, logLevel,
        };
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private WallarooOptions Read(ParseResult result) => new()
    {
        DataDirectory = result.GetValue(data)!,
        Port = result.GetValue(port),
        Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
        LogLevel = result.GetValue(logLevel),
    };
}
