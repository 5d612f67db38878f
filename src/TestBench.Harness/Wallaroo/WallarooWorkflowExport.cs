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
public sealed partial class WallarooWorkflowExport(Workflow workflow, WallarooTarget target, TimeProvider time) : SequencedWorkflowExport(workflow)
{
    public override IBenchmarkCalls Calls => target.Calls;

    /// <summary>The Wallaroo this export uploads to (a scheduled test starts its tasks there).</summary>
    public WallarooTarget Target => target;

    protected override Task<ExportedAlgorithm> ExportOneAsync(AlgorithmSpec algorithm, ExportNames names, ILogger logger, CancellationToken cancellationToken) =>
        new OrchestrationExporter(target, time).ExportAsync(Workflow, algorithm, names, logger, cancellationToken);

    /// <summary>Nothing to discard: Wallaroo has no route that deletes an orchestration, and the copy's one run has ended.</summary>
    protected override Task DiscardCopyAsync(string exportedName, ILogger logger) => Task.CompletedTask;

    /// <summary>Nothing to delete: a run's tasks end by themselves (run once) or are killed by their test (scheduled), and
    /// Wallaroo cannot delete orchestrations.</summary>
    public override Task CleanupAsync(ILogger logger, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing: the clean-up deletes nothing on Wallaroo (see <see cref="CleanupAsync"/>).</summary>
    public override IReadOnlyList<string> Created() => [];

    /// <summary>Lists the workspace's orchestrations.</summary>
    public override Task ProbeAsync(CancellationToken cancellationToken) => target.Wallaroo.OrchestrationsAsync(target.Wallaroo.Connection.WorkspaceId, cancellationToken);

    /// <returns>How many live tasks were killed.</returns>
    public override async Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken)
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
