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
    /// <summary>Stores <paramref name="run"/>; never throws for a store that fails. A store this creates first takes the
    /// results files of <paramref name="earlierRuns"/> (the agent's <c>history/</c> copies from before there was a store).</summary>
    public async Task<HistoryWrite> RecordAsync(StoredRun run, CancellationToken cancellationToken, string? earlierRuns = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            var store = await ResultsStore.OpenAsync(location, time, cancellationToken).ConfigureAwait(false);
            if (store.IsNew && earlierRuns is not null && Directory.Exists(earlierRuns))
            {
                await ResultsImport.ImportAsync(store, [earlierRuns], cancellationToken).ConfigureAwait(false);
            }

            var added = await store.WriteAsync(run, cancellationToken).ConfigureAwait(false);
            var runs = await store.CountRunsAsync(cancellationToken).ConfigureAwait(false);
            return new HistoryWrite { Written = true, Store = location.Describe(), Runs = runs, Reason = added ? null : "it was stored before" };
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            return new HistoryWrite { Written = false, Store = location.Describe(), Reason = Redacted(e) };
        }
    }

    /// <summary>Opens the store, or says why it cannot be opened (secrets redacted).</summary>
    public async Task<(ResultsStore? Store, string? Reason)> TryOpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await ResultsStore.OpenAsync(location, time, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            return (null, Redacted(e));
        }
    }

    /// <summary>What a store that cannot be reached, read or written throws: the database's errors, a schema too new,
    /// a file or folder that cannot be had, a server that does not answer.</summary>
    public static bool IsStoreFailure(Exception e) =>
        e is DbException or StoreSchemaTooNewException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException;

    /// <summary>The failure's message with the store's and the run's secrets masked.</summary>
    public string Redacted(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return redactor.With(new SecretRedactor(location.Secrets)).Redact(e.Message);
    }

    /// <summary>The run a results file's parts describe, each measured workflow's file hashed as it is now.</summary>
    /// <param name="run">The run's identity.</param>
    /// <param name="measurements">What it measured.</param>
    /// <param name="exports">Its exports' measures.</param>
    /// <param name="complete">Whether it ended.</param>
    /// <param name="origin"><c>run</c> or <c>import</c>.</param>
    /// <param name="workflowsDirectory">Where the workflow files are (<c>&lt;name&gt;.json</c>); <see langword="null"/> when
    /// the files as they are now are not the run's (an import of an old run): no hashes then.</param>
    public static StoredRun RunOf(RunRecord run, IReadOnlyList<Measurement> measurements, IReadOnlyList<ExportMeasurement> exports, bool complete, string origin, string? workflowsDirectory)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(exports);
        var workflows = measurements.Select(m => m.Workflow).Concat(exports.Select(e => e.Workflow)).Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, File: workflowsDirectory is null ? "" : Path.Combine(workflowsDirectory, name + ".json")))
            .Where(workflow => workflowsDirectory is not null && File.Exists(workflow.File))
            .ToDictionary(workflow => workflow.Name, workflow => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(workflow.File))), StringComparer.Ordinal);
        return new StoredRun
        {
            Run = run,
            Complete = complete,
            Origin = origin,
            WorkflowHashes = workflows,
            Measurements = measurements,
            Exports = exports,
        };
    }
}
