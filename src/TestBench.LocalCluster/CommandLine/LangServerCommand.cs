using System.CommandLine;
using TestBench.LocalCluster.LangServer;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>The <c>langserver</c> command: builds one algorithm and serves it alone.</summary>
internal sealed class LangServerCommand
{
    private readonly Argument<DirectoryInfo> directory = new("algorithm-dir")
    {
        Description = "The algorithm (src/ and requirements.txt)",
    };

    private readonly Option<int> port = new("--port") { Description = "The port on 127.0.0.1 (0: a free one)", HelpName = "N", CustomParser = OptionParsers.WholeNumber(0, 65535) };

    private readonly Option<string?> name = new("--name") { Description = "The algorithm's name (default: the directory's)", HelpName = "NAME" };

    private readonly Option<int> concurrency = new("--concurrency")
    {
        Description = "Workers",
        HelpName = "N",
        DefaultValueFactory = _ => new RuntimeOptions().MaxConcurrency,
        CustomParser = OptionParsers.WholeNumber(1, 64),
    };

    private readonly Option<int> queue = new("--queue")
    {
        Description = "Calls that may wait for a worker",
        HelpName = "N",
        DefaultValueFactory = _ => new RuntimeOptions().MaxQueueLength,
        CustomParser = OptionParsers.WholeNumber(0, 100_000),
    };

    public LangServerCommand() => directory.AcceptExistingOnly();

    public Command Create(Func<LangServerOptions, CancellationToken, Task> run)
    {
        var command = new Command("langserver", "Builds the algorithm and serves it on http://127.0.0.1:N (POST /, GET /health, GET /metrics)")
        {
            directory, port, name, concurrency, queue,
        };
        command.SetAction((result, cancellationToken) => run(Read(result), cancellationToken));
        return command;
    }

    private LangServerOptions Read(ParseResult result) => new()
    {
        AlgorithmDirectory = result.GetValue(directory)!.FullName,
        AlgorithmName = result.GetValue(name),
        Python = PythonInterpreter.Locate(Environment.GetEnvironmentVariable),
        Port = result.GetValue(port),
        Runtime = new RuntimeOptions { MaxConcurrency = result.GetValue(concurrency), MaxQueueLength = result.GetValue(queue) },
    };
}
