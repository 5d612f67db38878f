using System.CommandLine;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The options every stand-in server's command shares: its data folder, its port on 127.0.0.1 and its log level.</summary>
/// <param name="dataDescription">What the data folder holds, for <c>--help</c>.</param>
/// <param name="defaultData">The data folder when none is given.</param>
internal sealed class ServerSymbols(string dataDescription, string defaultData)
{
    public Option<string> Data { get; } = new("--data") { Description = dataDescription, HelpName = "DIR", DefaultValueFactory = _ => defaultData };

    public Option<int> Port { get; } = new("--port") { Description = "The port on 127.0.0.1 (0: a free one)", HelpName = "N", CustomParser = OptionParsers.WholeNumber(0, 65535) };

    public Option<LogLevel> LogLevel { get; } = new("--log-level")
    {
        Description = "trace, debug, information, warning, error, critical or none",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information,
        CustomParser = OptionParsers.LogLevel,
    };

    public void AddTo(Command command)
    {
        command.Add(Data);
        command.Add(Port);
        command.Add(LogLevel);
    }
}
