using System.Security.Cryptography;
using TestBench.Harness.Reporting;

namespace TestBench.Harness.History;

/// <summary>
/// Brings results files into the store: an agent's <c>history/*.json</c> copies, or results downloaded from earlier CI
/// runs. A file that names its run is stored under that run's identity, so a run imported after it stored itself is kept
/// once; an older file, which does not, is keyed by its content's hash, and its machine is <c>unknown</c> (its series is
/// a segment of its own, since no one can say which machine measured it). Workflow hashes are not stored for imports:
/// the files as they are now need not be the ones the run measured.
/// </summary>
public static class ResultsImport
{
    /// <summary>The machine of a results file that does not say.</summary>
    public const string UnknownMachine = "unknown";

    /// <summary>The run a results file holds, or why it holds none.</summary>
    /// <param name="path">A <c>testbench-results.json</c> or a history copy of one.</param>
    public static (StoredRun? Run, string? Problem) Read(string path)
    {
        if (!File.Exists(path))
        {
            return (null, "no such file or folder");
        }

        var measurements = ResultsFile.Read(path);
        var exports = ResultsFile.ReadExports(path);
        if (measurements.Count == 0 && exports.Count == 0)
        {
            return (null, "no measurement or export in it (or it is no TestBench results file)");
        }

        var identity = ResultsFile.ReadRun(path) ?? new RunRecord
        {
            Id = $"file-{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..32]}",
            StartedAt = measurements.Select(m => m.At).Concat(exports.Select(e => e.At)).Min(),
            Machine = UnknownMachine,
            Targets = measurements.Select(m => m.Target).Concat(exports.Select(e => e.Target)).Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => "unknown", StringComparer.Ordinal),
        };
        return (RunHistory.RunOf(identity, measurements, exports, ResultsFile.IsComplete(path), "import", workflowsDirectory: null), null);
    }

    /// <summary>Stores every results file of <paramref name="paths"/> (a folder stands for its <c>*.json</c>).</summary>
    /// <returns>One line per file: imported, stored before, or why not.</returns>
    public static async Task<IReadOnlyList<string>> ImportAsync(ResultsStore store, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(paths);
        List<string> lines = [];
        foreach (var file in paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*.json").Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]))
        {
            var (run, problem) = Read(file);
            if (run is null)
            {
                lines.Add($"{file}: skipped: {problem}");
                continue;
            }

            var added = await store.WriteAsync(run, cancellationToken).ConfigureAwait(false);
            lines.Add($"{file}: {(added ? "imported" : "stored before")} ({run.Measurements.Count} measurements, {run.Exports.Sum(e => e.Measures.Count)} export measures, run {run.Run.Id})");
        }

        return lines;
    }
}
