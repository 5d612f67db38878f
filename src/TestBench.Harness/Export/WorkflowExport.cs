using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// The export of one workflow, shared by its cases: algorithms are exported once each, in file order
/// (dependencies first), on first demand. When one fails, every later algorithm fails fast with
/// "blocked by export of X: reason". Every export is written down in the destination's <see cref="ExportManifest"/>;
/// clean-up deletes what this run created, and the clean-up stage every export the manifest lists.
/// </summary>
public sealed partial class WorkflowExport
{
    private const string BlockedStep = "Export";

    private readonly Workflow workflow;
    private readonly ExportTarget target;
    private readonly TimeProvider time;
    private readonly Lock sync = new();
    private readonly List<Task<ExportedAlgorithm>> exports = [];
    private readonly List<string> failed = [];
    private Task<string>? user;

    public WorkflowExport(Workflow workflow, ExportTarget target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        this.workflow = workflow;
        this.target = target;
        this.time = time;
        Names = ExportNames.For(workflow);
    }

    public ExportNames Names { get; }

    public Workflow Workflow => workflow;

    /// <summary>Exports the algorithms up to <paramref name="templateName"/> (each once) and returns that one.</summary>
    /// <param name="templateName">The algorithm's name in the workflow.</param>
    /// <param name="logger">Where progress goes: the output of the case that asked first.</param>
    /// <param name="cancellationToken">Stops waiting; an export already running goes on for other cases.</param>
    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken)
    {
        var index = IndexOf(templateName);
        lock (sync)
        {
            user ??= target.Destination.Data.UsernameAsync(CancellationToken.None);
            while (exports.Count <= index)
            {
                var previous = exports.Count == 0 ? null : exports[^1];
                var algorithm = workflow.Algorithms[exports.Count];
                exports.Add(ExportAfterAsync(previous, algorithm, logger));
            }

            return exports[index].WaitAsync(cancellationToken);
        }
    }

    /// <summary>The algorithms exported so far (successfully).</summary>
    public IReadOnlyList<ExportedAlgorithm> Completed()
    {
        lock (sync)
        {
            return exports.Where(e => e.IsCompletedSuccessfully).Select(e => e.Result).ToArray();
        }
    }

    /// <summary>
    /// Deletes the algorithms and data collections this run created, its failed exports included; <c>run_only</c>
    /// workflows keep theirs (a failed <c>run_only</c> export may hold an earlier run's work, so it stays too).
    /// </summary>
    public async Task CleanupAsync(ILogger logger, CancellationToken cancellationToken)
    {
        // Nothing was created when the owner could not even be looked up.
        if (workflow.RunOnly || user is not { IsCompletedSuccessfully: true })
        {
            return;
        }

        var owner = await user.ConfigureAwait(false);
        var created = Completed().Where(e => e.CreatedByThisRun).Select(e => e.ExportedName);
        string[] names;
        lock (sync)
        {
            names = [.. created, .. failed];
        }

        await DeleteAsync(owner, names, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every TestBench export of the workflow on the destination — this run's names and every one its
    /// <see cref="ExportManifest"/> lists from earlier or crashed runs — with their data collections (the original
    /// tool's delete step); missing ones are fine.
    /// </summary>
    /// <returns>How many algorithms were deleted or already gone.</returns>
    public async Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var owner = await target.Destination.Data.UsernameAsync(cancellationToken).ConfigureAwait(false);
        var listed = await new ExportManifest(target, owner, workflow.Name).ReadAsync(cancellationToken).ConfigureAwait(false);
        var names = Names.Renames.Values.Concat(listed.Select(e => e.Algorithm)).Distinct(StringComparer.Ordinal).ToArray();
        await DeleteAsync(owner, names, logger, cancellationToken).ConfigureAwait(false);
        return names.Length;
    }

    private async Task DeleteAsync(string owner, string[] names, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            await target.Destination.Algorithms.DeleteAsync(owner, name, cancellationToken).ConfigureAwait(false);
            await target.Destination.Data.DeleteFolderAsync($"data://{owner}/{name}", cancellationToken).ConfigureAwait(false);
            LogDeleted(logger, owner, name);
        }

        if (names.Length > 0)
        {
            await new ExportManifest(target, owner, workflow.Name).ForgetAsync(names, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ExportedAlgorithm> ExportAfterAsync(Task<ExportedAlgorithm>? previous, AlgorithmSpec algorithm, ILogger logger)
    {
        if (previous is not null)
        {
            try
            {
                await previous.ConfigureAwait(false);
            }
            catch (PrerequisiteMissingException e)
            {
                throw PrerequisiteMissingException.Blocked(e);
            }
            catch (ExportException e)
            {
                throw ExportException.Blocked(workflow.Name, algorithm.Name, BlockedStep, e);
            }
        }

        var owner = await user!.ConfigureAwait(false);
        var exportedName = Names.ExportedName(algorithm.Name);
        // Written down before anything is created, so that clean-up finds it even if this process dies mid-export.
        var manifest = new ExportManifest(target, owner, workflow.Name);
        var entry = new ManifestEntry(algorithm.Name, exportedName, time.GetUtcNow(), Complete: false);
        try
        {
            await RecordAsync(manifest, entry, algorithm).ConfigureAwait(false);
            var exported = await new AlgorithmExporter(target, time).ExportAsync(workflow, algorithm, Names, owner, logger, CancellationToken.None).ConfigureAwait(false);
            await RecordAsync(manifest, entry with { Complete = true }, algorithm).ConfigureAwait(false);
            return exported;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (sync)
            {
                failed.Add(exportedName);
            }

            throw;
        }
    }

    /// <summary>Writes the export down; a destination that will not take the manifest fails the export like any other step.</summary>
    private async Task RecordAsync(ExportManifest manifest, ManifestEntry entry, AlgorithmSpec algorithm)
    {
        try
        {
            await manifest.RecordAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlgorithmiaApiException or HttpRequestException or IOException)
        {
            throw new ExportException(workflow.Name, algorithm.Name, "Export manifest", target.Redactor.Redact(e.Message), e);
        }
    }

    private int IndexOf(string templateName)
    {
        for (var i = 0; i < workflow.Algorithms.Count; i++)
        {
            if (workflow.Algorithms[i].Name == templateName)
            {
                return i;
            }
        }

        throw new ArgumentException($"Workflow {workflow.Name} has no algorithm '{templateName}'.", nameof(templateName));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Owner}/{Name} and its data collection")]
    private static partial void LogDeleted(ILogger logger, string owner, string name);
}
