using System.CommandLine;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Wallaroo;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>wallaroo</c> command: an embedded Wallaroo orchestration service on 127.0.0.1.</summary>
/// <param name="Options">The service's settings.</param>
/// <param name="Lifetime">How it announces itself and when it stops.</param>
internal sealed record WallarooCommandLine(WallarooOptions Options, ServerLifetime Lifetime);

/// <summary>The symbols of the <c>wallaroo</c> command.</summary>
internal sealed class WallarooCommand
{
    private readonly ServerSymbols server = new("Where orchestrations and task runs are kept", ".testbench-wallaroo");

    private readonly Option<double> scheduleMinute = new("--schedule-minute")
    {
        Description = "How many seconds a minute of a cron schedule lasts (a test hook: 2 makes '*/1 * * * *' tick every 2 s)",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 60,
        CustomParser = OptionParsers.Number(0.5, 60),
    };

    public Command Create(Func<WallarooCommandLine, CancellationToken, Task> run)
    {
        var command = new Command("wallaroo", "Runs an embedded Wallaroo orchestration service on http://127.0.0.1:N: orchestrations and tasks at /v1/api; prints its bearer token")
        {
            scheduleMinute,
        };
        server.AddTo(command);
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private WallarooCommandLine Read(ParseResult result) => new(
        new WallarooOptions
        {
            DataDirectory = result.GetValue(server.Data)!,
            Port = result.GetValue(server.Port),
            Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
            LogLevel = result.GetValue(server.LogLevel),
            ScheduleMinute = TimeSpan.FromSeconds(result.GetValue(scheduleMinute)),
        },
        server.Lifetime(result));
}
