using System.CommandLine;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The options every stand-in server's command shares: its data folder, its port on 127.0.0.1, its log level, and
/// how a starting process learns about it (<c>--announce json</c>) and stops it (<c>--stop-with-input</c>).</summary>
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

    public Option<string?> Announce { get; } = new("--announce")
    {
        Description = "Print the address and token as one JSON line",
        HelpName = "json",
        CustomParser = OptionParsers.From<string?>(value => value == "json" ? value : throw new ArgumentException($"option --announce is '{value}'; the only format is 'json'")),
    };

    public Option<bool> StopWithInput { get; } = new("--stop-with-input") { Description = "Stop when standard input closes" };

    public void AddTo(Command command)
    {
        command.Add(Data);
        command.Add(Port);
        command.Add(LogLevel);
        command.Add(Announce);
        command.Add(StopWithInput);
    }

    /// <summary>How the server tells about itself and when it stops, as the command line asks.</summary>
    public ServerLifetime Lifetime(ParseResult result) => new(result.GetValue(Announce) is not null, result.GetValue(StopWithInput));
}
