using System.Globalization;
using TestBench.Harness.Judging;
using TestBench.Harness.Judging.Ratchet;

namespace TestBench.Harness.Reporting;

/// <summary>
/// Publishes a run when it ends: the results file, <c>testbench-report.html</c> beside it with the history of the
/// last <see cref="HistoryRuns"/> runs (each run adds a timestamped copy of its results to <c>history/</c>), and
/// hands results, report and any proposed bar files to the test platform as run attachments.
/// </summary>
/// <param name="workflowsDirectory">Where the verified bar files are, for the report's bar bands.</param>
/// <param name="environment">Reads environment variables (the attachments folder).</param>
/// <param name="time">Names the history copy.</param>
/// <param name="store">Puts the run into the results store; <see langword="null"/>: no store.</param>
public sealed class RunReport(string workflowsDirectory, Func<string, string?> environment, TimeProvider time, History.RunHistory? store = null)
{
    /// <summary>How many earlier runs the report plots. <value>30.</value></summary>
    public const int HistoryRuns = 30;

    /// <summary>Writes and attaches everything; nothing when the run neither measured nor ran a case.</summary>
    /// <param name="results">The run's results, written to <see cref="ResultsFile.Path"/>.</param>
    /// <param name="proposedBars">Received bar files the run wrote, attached so bars measured on a CI agent can be accepted from its results.</param>
    /// <param name="cancellationToken">Stops writing.</param>
    /// <returns>The files attached or, without an attachments folder, written.</returns>
    public async Task<IReadOnlyList<string>> PublishAsync(ResultsFile results, IEnumerable<string> proposedBars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.IsEmpty)
        {
            return [];
        }

        await results.WriteAsync(cancellationToken).ConfigureAwait(false);
        var resultsDirectory = Path.GetDirectoryName(results.Path)!;
        var historyDirectory = Path.Combine(resultsDirectory, "history");
        if (store is not null && results.Run is { } run)
        {
            var stored = History.RunHistory.RunOf(run, results.Measurements, results.Exports, complete: true, "run", workflowsDirectory);
            results.Record(await store.RecordAsync(stored, cancellationToken, earlierRuns: historyDirectory).ConfigureAwait(false));
        }

        Directory.CreateDirectory(historyDirectory);
        var history = Directory.EnumerateFiles(historyDirectory, "*.json").Order(StringComparer.Ordinal).TakeLast(HistoryRuns).Select(ResultsFile.Read).ToArray();
        var bars = results.Measurements.Select(m => ApprovalFiles.BarsName(m.Workflow, m.Target)).Distinct()
            .ToDictionary(name => name, name => BarFile.Read(ApprovalFiles.Bars(workflowsDirectory, name).Verified).Tests);
        var report = Path.Combine(resultsDirectory, HtmlReport.FileName);
        await File.WriteAllTextAsync(report, HtmlReport.Render(results.Measurements, bars, history, exports: results.Exports, problems: results.Problems, comparisons: results.Comparisons), cancellationToken).ConfigureAwait(false);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        File.Copy(results.Path, Path.Combine(historyDirectory, $"testbench-results-{stamp}.json"), overwrite: true);
        string[] files = [results.Path, report, .. proposedBars];
        foreach (var file in files)
        {
            RunAttachments.Attach(file, environment);
        }

        return files;
    }

    /// <summary>
    /// The report of a run whose test host never published one (killed, cancelled or timed out half-way), from the results
    /// file it left: what it measured, its exports, and its problems — the run's not ending first. Without the bars and
    /// history, which the test host's report reads from the repository.
    /// </summary>
    /// <param name="resultsPath">The results file the run left (<c>"complete": false</c>).</param>
    /// <param name="reportPath">Where the report goes, e.g. <c>testbench-report.html</c> beside it.</param>
    public static void WriteFromResults(string resultsPath, string reportPath)
    {
        var html = HtmlReport.Render(ResultsFile.Read(resultsPath), new Dictionary<string, IReadOnlyDictionary<string, Bar>>(), [], exports: ResultsFile.ReadExports(resultsPath), problems: ResultsFile.ReadProblems(resultsPath), comparisons: ResultsFile.ReadComparisons(resultsPath));
        File.WriteAllText(reportPath + ".tmp", html);
        File.Move(reportPath + ".tmp", reportPath, overwrite: true);
    }
}
