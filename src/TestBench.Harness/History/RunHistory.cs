using System.Data.Common;
using System.Security.Cryptography;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Reporting;

namespace TestBench.Harness.History;

/// <summary>
/// Puts a run into the store when it ends. A store that cannot take it — unreachable, read-only, locked past its wait,
/// written by a newer schema — costs the run nothing it measured: the reason comes back (secrets redacted) for the
/// summary's first line, and the results file is complete either way.
/// </summary>
/// <param name="location">The store.</param>
/// <param name="redactor">Hides the connection string and every other secret in the reason.</param>
/// <param name="time">The store's clock.</param>
public sealed class RunHistory(StoreLocation location, SecretRedactor redactor, TimeProvider time)
{
    /// <summary>Stores <paramref name="run"/>; never throws for a store that fails.</summary>
    public async Task<HistoryWrite> RecordAsync(StoredRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            var store = await ResultsStore.OpenAsync(location, time, cancellationToken).ConfigureAwait(false);
            var added = await store.WriteAsync(run, cancellationToken).ConfigureAwait(false);
            var runs = await store.CountRunsAsync(cancellationToken).ConfigureAwait(false);
            return new HistoryWrite { Written = true, Store = location.Describe(), Runs = runs, Reason = added ? null : "it was stored before" };
        }
        catch (Exception e) when (e is DbException or StoreSchemaTooNewException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return new HistoryWrite { Written = false, Store = location.Describe(), Reason = redactor.With(new SecretRedactor(location.Secrets)).Redact(e.Message) };
        }
    }

    /// <summary>The run a results file's parts describe, each measured workflow's file hashed as it is now.</summary>
    /// <param name="run">The run's identity.</param>
    /// <param name="measurements">What it measured.</param>
    /// <param name="exports">Its exports' measures.</param>
    /// <param name="complete">Whether it ended.</param>
    /// <param name="origin"><c>run</c> or <c>import</c>.</param>
    /// <param name="workflowsDirectory">Where the workflow files are (<c>&lt;name&gt;.json</c>).</param>
    public static StoredRun RunOf(RunRecord run, IReadOnlyList<Measurement> measurements, IReadOnlyList<ExportMeasurement> exports, bool complete, string origin, string workflowsDirectory)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(exports);
        var workflows = measurements.Select(m => m.Workflow).Concat(exports.Select(e => e.Workflow)).Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, File: Path.Combine(workflowsDirectory, name + ".json")))
            .Where(workflow => File.Exists(workflow.File))
            .ToDictionary(workflow => workflow.Name, workflow => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(workflow.File))), StringComparer.Ordinal);
        return new StoredRun
        {
            Key = run.Id,
            StartedAt = run.StartedAt,
            Commit = run.Commit,
            Machine = run.Machine,
            Complete = complete,
            Origin = origin,
            Targets = run.Targets,
            WorkflowHashes = workflows,
            Measurements = measurements,
            Exports = exports,
        };
    }
}
