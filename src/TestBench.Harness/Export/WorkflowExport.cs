using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// The export of one workflow to an Algorithmia-style cluster (see <see cref="ExportSequence"/> for the order and
/// blocking). Every export is written down in the destination's <see cref="ExportManifest"/>; clean-up deletes what
/// this run created, and the clean-up stage every export the manifest lists.
/// </summary>
public sealed partial class WorkflowExport : IWorkflowExport
{
    private readonly Workflow workflow;
    private readonly ExportTarget target;
    private readonly TimeProvider time;
    private readonly ExportSequence sequence;
    private Task<string>? user;

    public WorkflowExport(Workflow workflow, ExportTarget target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(target);
        this.workflow = workflow;
        this.target = target;
        this.time = time;
        Names = ExportNames.For(workflow);
        sequence = new ExportSequence(workflow, ExportOneAsync, Names.ExportedName);
        Calls = new AlgorithmiaBenchmarkCalls(target.Destination.Calls, target.Completions);
    }

    public ExportNames Names { get; }

    public Workflow Workflow => workflow;

    public IBenchmarkCalls Calls { get; }

    /// <inheritdoc/>
    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        sequence.ExportAsync(templateName, logger, () => user = target.Destination.Data.UsernameAsync(CancellationToken.None), cancellationToken);

    /// <inheritdoc/>
    public IReadOnlyList<ExportedAlgorithm> Completed() => sequence.Completed();

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
        await DeleteAsync(owner, [.. sequence.CreatedOrFailed()], logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This run's algorithms (<c>owner/name</c>, with their data collections); none for a <c>run_only</c> workflow.</summary>
    public IReadOnlyList<string> Created() =>
        workflow.RunOnly ? [] : [.. sequence.CreatedOrFailed().Select(name => user is { IsCompletedSuccessfully: true } ? $"{user.Result}/{name}" : name)];

    /// <summary>Asks the destination whose key this is (<c>GET /v1/data/</c>).</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => target.Destination.Data.UsernameAsync(cancellationToken);

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

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken)
    {
        await ExportAsync(templateName, logger, cancellationToken).ConfigureAwait(false);
        var algorithm = workflow.Algorithms.Single(a => a.Name == templateName);
        var names = Names.WithFreshName(templateName);
        var owner = await user!.ConfigureAwait(false);
        try
        {
            return (await ExportOneAsync(algorithm, names, logger).ConfigureAwait(false)).Measures;
        }
        finally
        {
            await DeleteAsync(owner, [names.ExportedName(templateName)], logger, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Task<ExportedAlgorithm> ExportOneAsync(AlgorithmSpec algorithm, ILogger logger) => ExportOneAsync(algorithm, Names, logger);

    private async Task<ExportedAlgorithm> ExportOneAsync(AlgorithmSpec algorithm, ExportNames names, ILogger logger)
    {
        var owner = await user!.ConfigureAwait(false);
        var exportedName = names.ExportedName(algorithm.Name);
        // Written down before anything is created, so that clean-up finds it even if this process dies mid-export.
        var manifest = new ExportManifest(target, owner, workflow.Name);
        var entry = new ManifestEntry(algorithm.Name, exportedName, time.GetUtcNow(), Complete: false);
        await RecordAsync(manifest, entry, algorithm).ConfigureAwait(false);
        var exported = await new AlgorithmExporter(target, time).ExportAsync(workflow, algorithm, names, owner, logger, CancellationToken.None).ConfigureAwait(false);
        await RecordAsync(manifest, entry with { Complete = true }, algorithm).ConfigureAwait(false);
        return exported;
    }

    /// <summary>Writes the export down; a destination that will not take the manifest fails the export like any other step.</summary>
    private async Task RecordAsync(ExportManifest manifest, ManifestEntry entry, AlgorithmSpec algorithm)
    {
        try
        {
            await manifest.RecordAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlgorithmiaApiException or HttpRequestException or IOException or Resilience.TargetFaultException)
        {
            throw new ExportException(workflow.Name, algorithm.Name, "Export manifest", target.Redactor.Redact(e.Message), e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Owner}/{Name} and its data collection")]
    private static partial void LogDeleted(ILogger logger, string owner, string name);
}
