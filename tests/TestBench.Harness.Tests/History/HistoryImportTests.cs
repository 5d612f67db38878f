using System.Diagnostics;
using FluentAssertions;
using TestBench.Harness.History;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.History;

/// <summary><c>testbench history import</c>, run as the tool it is: separate processes, a real store of each backend.</summary>
public sealed class HistoryImportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-import-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>A folder of <paramref name="count"/> results files, each a run of its own.</summary>
    private string ResultsFolder(string name, int count)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        for (var run = 0; run < count; run++)
        {
            var results = new ResultsFile(Path.Combine(root, "scratch", $"{name}-{run}"));
            results.Begin(new RunRecord { Id = $"{name}-{run}", StartedAt = DateTimeOffset.UnixEpoch.AddDays(run), Machine = "machine-a", Targets = new Dictionary<string, string> { ["local"] = "embedded" } });
            results.Add(Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.010 + (run / 1000.0)).Build()));
            File.Copy(results.Path, Path.Combine(folder, $"testbench-results-{run:000}.json"));
        }

        return folder;
    }

    private static async Task<(int ExitCode, string Output)> ImportAsync(StoreLocation store, params string[] paths)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "testbench")) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("history");
        info.ArgumentList.Add("import");
        if (store is SqliteStoreLocation sqlite)
        {
            info.ArgumentList.Add("--file");
            info.ArgumentList.Add(sqlite.Path);
            info.Environment.Remove(StoreLocation.ConnectionVariable);
        }
        else
        {
            info.Environment[StoreLocation.ConnectionVariable] = ((PostgreSqlStoreLocation)store).ConnectionString;
        }

        foreach (var path in paths)
        {
            info.ArgumentList.Add(path);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task Two_processes_importing_into_one_store_at_the_same_moment_lose_nothing(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var first = ResultsFolder("agent-a", 15);
        var second = ResultsFolder("agent-b", 15);

        var imports = await Task.WhenAll(ImportAsync(store.Location, first), ImportAsync(store.Location, second));

        imports.Should().OnlyContain(import => import.ExitCode == 0);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        (await results.CountRunsAsync(CancellationToken.None)).Should().Be(30);
        (await results.ReadSeriesAsync(new SeriesKey("hello_world", "basic test", "local", "machine-a"), CancellationToken.None)).Should().HaveCount(30);
    }

    [Fact]
    public async Task Importing_the_same_files_again_keeps_each_run_once_and_a_file_that_is_none_is_named()
    {
        var store = StoreLocation.SqliteFile(Path.Combine(root, "store", "testbench.db"));
        var folder = ResultsFolder("agent-a", 3);
        var stray = Path.Combine(root, "notes.json");
        await File.WriteAllTextAsync(stray, "{\"not\": \"results\"}");

        await ImportAsync(store, folder);
        var (exitCode, output) = await ImportAsync(store, folder, stray);

        exitCode.Should().Be(2, "a file that could not be imported is an error of the command");
        output.Should().Contain("testbench-results-000.json: stored before").And.Contain($"{stray}: skipped: no measurement or export in it").And.Contain("testbench.db: 3 runs");
        output.Should().NotContain("Password");
    }
}
