using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Export;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// The export of one workflow to Wallaroo: each algorithm an orchestration (see <see cref="OrchestrationExporter"/>), in
/// file order. Wallaroo has no route that deletes an orchestration, so clean-up leaves them; the clean-up stage kills the
/// tasks still live on every orchestration named like one of the workflow's exports (a crashed run's schedules).
/// </summary>
public sealed partial class WallarooWorkflowExport : IWorkflowExport
{
    private readonly WallarooTarget target;
    private readonly TimeProvider time;
    private readonly ExportSequence sequence;
    private readonly ExportNames names;

    public WallarooWorkflowExport(Workflow workflow, WallarooTarget target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(target);
        Workflow = workflow;
        this.target = target;
        this.time = time;
        names = ExportNames.For(workflow);
        sequence = new ExportSequence(workflow, (algorithm, logger) => new OrchestrationExporter(target, time).ExportAsync(workflow, algorithm, names, logger, CancellationToken.None), names.ExportedName);
    }

    public Workflow Workflow { get; }

    public IBenchmarkCalls Calls => target.Calls;

    /// <summary>The Wallaroo this export uploads to (a scheduled test starts its tasks there).</summary>
    public WallarooTarget Target => target;

    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        sequence.ExportAsync(templateName, logger, beforeFirst: null, cancellationToken);

    public IReadOnlyList<ExportedAlgorithm> Completed() => sequence.Completed();

    public async Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken)
    {
        await ExportAsync(templateName, logger, cancellationToken).ConfigureAwait(false);
        var fresh = names.WithFreshName(templateName);
        return (await new OrchestrationExporter(target, time).ExportAsync(Workflow, Workflow.Algorithms.Single(a => a.Name == templateName), fresh, logger, cancellationToken).ConfigureAwait(false)).Measures;
    }

    /// <summary>Nothing to delete: a run's tasks end by themselves (run once) or are killed by their test (scheduled), and
    /// Wallaroo cannot delete orchestrations.</summary>
    public Task CleanupAsync(ILogger logger, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <returns>How many live tasks were killed.</returns>
    public async Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var ours = new Regex(
            $"^({string.Join('|', Workflow.Algorithms.Select(a => Regex.Escape(a.Name)))})_(r[0-9a-f]{{8}}|[0-9a-f]{{12}})$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var killed = 0;
        var orchestrations = await target.Wallaroo.OrchestrationsAsync(target.Wallaroo.Connection.WorkspaceId, cancellationToken).ConfigureAwait(false);
        foreach (var sha in orchestrations.Where(o => o.Name is { } name && ours.IsMatch(name)).Select(o => o.Sha).Distinct(StringComparer.Ordinal))
        {
            foreach (var task in await target.Wallaroo.TasksOfAsync(sha, cancellationToken).ConfigureAwait(false))
            {
                if (await target.Wallaroo.KillIfLiveAsync(task, cancellationToken).ConfigureAwait(false))
                {
                    LogKilled(logger, task);
                    killed++;
                }
            }
        }

        return killed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Killed Wallaroo task {Task}")]
    private static partial void LogKilled(ILogger logger, string task);
}
