using System.CommandLine;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Wallaroo;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>wallaroo</c> command: an embedded Wallaroo orchestration service on 127.0.0.1.</summary>
internal sealed class WallarooCommand
{
    private readonly ServerSymbols server = new("Where orchestrations and task runs are kept", ".testbench-wallaroo");

    public Command Create(Func<WallarooOptions, CancellationToken, Task> run)
    {
        var command = new Command("wallaroo", "Runs an embedded Wallaroo orchestration service on http://127.0.0.1:N: orchestrations and tasks at /v1/api; prints its bearer token");
        server.AddTo(command);
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private WallarooOptions Read(ParseResult result) => new()
    {
        DataDirectory = result.GetValue(server.Data)!,
        Port = result.GetValue(server.Port),
        Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
        LogLevel = result.GetValue(server.LogLevel),
    };
}
