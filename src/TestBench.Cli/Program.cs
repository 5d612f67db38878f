using System.CommandLine;
using System.Globalization;
using TestBench.Harness.Configuration;
using TestBench.Harness.History;

namespace TestBench.Cli;

/// <summary>
/// <c>testbench history import &lt;files or folders&gt;…</c> stores results files (an agent's <c>TestResults/history/</c>
/// copies, results downloaded from CI) in the results store; <c>testbench history series</c> prints one test's stored
/// medians. The store is the one a run would use: <c>TESTBENCH_STORE_CONNECTION</c> (PostgreSQL), else <c>--file</c> or
/// <c>TESTBENCH_STORE_FILE</c>, else <c>TestResults/history/testbench.db</c> in the repository.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CreateCommandLine().Parse(args).InvokeAsync();

    internal static RootCommand CreateCommandLine()
    {
        var file = new Option<string?>("--file") { Description = $"The SQLite store (default: {StoreLocation.FileVariable}, else TestResults/history/testbench.db); {StoreLocation.ConnectionVariable} names a PostgreSQL one instead", HelpName = "PATH" };
        var paths = new Argument<string[]>("paths") { Description = "Results files, or folders of them (*.json)", Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Stores results files in the results store; a run stored before is kept once") { file, paths };
        import.SetAction((result, cancellationToken) => ImportAsync(result.GetValue(file), result.GetValue(paths)!, cancellationToken));

        var workflow = new Option<string>("--workflow") { Required = true, Description = "The workflow (its file name without .json)" };
        var test = new Option<string>("--test") { Required = true, Description = "The test's name" };
        var target = new Option<string>("--target") { Description = "The target", DefaultValueFactory = _ => "local" };
        var machine = new Option<string?>("--machine") { Description = "The machine fingerprint (default: this machine's)" };
        var series = new Command("series", "Prints one test's run medians, oldest first, on one target and machine") { file, workflow, test, target, machine };
        series.SetAction((result, cancellationToken) => SeriesAsync(result.GetValue(file), new SeriesKey(result.GetValue(workflow)!, result.GetValue(test)!, result.GetValue(target)!, result.GetValue(machine) ?? ""), cancellationToken));

        return new RootCommand("TestBench's commands outside a test run") { new Command("history", "The results store (issue #28)") { import, series } };
    }

    private static async Task<int> ImportAsync(string? file, string[] paths, CancellationToken cancellationToken)
    {
        if (await OpenAsync(file, cancellationToken).ConfigureAwait(false) is not { } store)
        {
            return 1;
        }

        var lines = await ResultsImport.ImportAsync(store, paths, cancellationToken).ConfigureAwait(false);
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"{store.Location.Describe()}: {await store.CountRunsAsync(cancellationToken).ConfigureAwait(false)} runs");
        return lines.Any(line => line.Contains(": skipped: ", StringComparison.Ordinal)) ? 2 : 0;
    }

    private static async Task<int> SeriesAsync(string? file, SeriesKey key, CancellationToken cancellationToken)
    {
        if (await OpenAsync(file, cancellationToken).ConfigureAwait(false) is not { } store)
        {
            return 1;
        }

        if (key.Machine.Length == 0)
        {
            key = key with { Machine = TestBench.Harness.Measuring.MachineFingerprint.Current };
        }

        var points = await store.ReadSeriesAsync(key, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"{key.Workflow} › {key.Test} on {key.Target}, machine {key.Machine}: {points.Count} runs");
        foreach (var point in points)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{point.StartedAt:yyyy-MM-dd HH:mm:ss}  {point.Commit ?? "-",-12}  p50 {point.P50Seconds * 1000,9:0.000} ms  {point.Throughput,9:0.0} calls/s  {point.Verdict ?? "-",-12}  {point.Address}"));
        }

        return 0;
    }

    /// <summary>The store as a run would name it; <see langword="null"/> (with the reason on standard error) when it cannot be had.</summary>
    private static async Task<ResultsStore?> OpenAsync(string? file, CancellationToken cancellationToken)
    {
        StoreLocation location;
        try
        {
            var connection = Environment.GetEnvironmentVariable(StoreLocation.ConnectionVariable);
            file ??= Environment.GetEnvironmentVariable(StoreLocation.FileVariable);
            // The repository is looked for only for the default file: from here, else from where this tool was built.
            var root = connection is null && file is null ? Repository().Root : Environment.CurrentDirectory;
            location = StoreLocation.FromSettings(connection, file, Environment.CurrentDirectory, Path.Combine(root, "TestResults"));
        }
        catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"testbench: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var (store, reason) = await new RunHistory(location, new TestBench.Harness.Algorithmia.SecretRedactor([]), TimeProvider.System).TryOpenAsync(cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            await Console.Error.WriteLineAsync($"testbench: the results store {location.Describe()} cannot be opened: {reason}").ConfigureAwait(false);
        }

        return store;
    }

    private static RepositoryLayout Repository()
    {
        try
        {
            return RepositoryLayout.Locate(Environment.CurrentDirectory, Environment.GetEnvironmentVariable);
        }
        catch (DirectoryNotFoundException)
        {
            return RepositoryLayout.Locate(AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
        }
    }
}
