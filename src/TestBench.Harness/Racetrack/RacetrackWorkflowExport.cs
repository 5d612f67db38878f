using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Export;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// The export of one workflow to Racetrack: each algorithm a job (see <see cref="JobExporter"/>), in file order, so a
/// pipeline's callee is deployed before its caller. Clean-up deletes this run's jobs; the clean-up stage deletes every
/// job named like one of the workflow's exports (template name plus a TestBench suffix), crashed runs' included.
/// </summary>
public sealed partial class RacetrackWorkflowExport(Workflow workflow, RacetrackTarget target, TimeProvider time) : SequencedWorkflowExport(workflow)
{
    public override IBenchmarkCalls Calls => target.Calls;

    protected override Task<ExportedAlgorithm> ExportOneAsync(AlgorithmSpec algorithm, ExportNames names, ILogger logger, CancellationToken cancellationToken) =>
        new JobExporter(target, time).ExportAsync(Workflow, algorithm, names, logger, cancellationToken);

    protected override Task DiscardCopyAsync(string exportedName, ILogger logger) =>
        DeleteAsync([JobExporter.RacetrackName(exportedName)], logger, CancellationToken.None);

    public override async Task CleanupAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (!Workflow.RunOnly)
        {
            await DeleteAsync([.. CreatedOrFailed().Select(JobExporter.RacetrackName)], logger, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>This run's jobs, <c>name version</c>; none for a <c>run_only</c> workflow, whose jobs stay.</summary>
    public override IReadOnlyList<string> Created() =>
        Workflow.RunOnly ? [] : [.. CreatedOrFailed().Select(name => $"{JobExporter.RacetrackName(name)} {JobExporter.JobVersion}")];

    /// <summary>Lists the jobs (Lifecycle's <c>GET /api/v1/job</c>).</summary>
    public override Task ProbeAsync(CancellationToken cancellationToken) => target.Racetrack.ListJobsAsync(cancellationToken);

    public override async Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var ours = new Regex(
            $"^({string.Join('|', Workflow.Algorithms.Select(a => Regex.Escape(JobExporter.RacetrackName(a.Name))))})-(r[0-9a-f]{{8}}|[0-9a-f]{{12}})$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var jobs = await target.Racetrack.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        string[] names = [.. jobs.Select(job => job.Name).Where(name => ours.IsMatch(name)).Distinct(StringComparer.Ordinal)];
        await DeleteAsync(names, logger, cancellationToken).ConfigureAwait(false);
        return names.Length;
    }

    private async Task DeleteAsync(string[] jobNames, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var name in jobNames)
        {
            try
            {
                await target.Racetrack.DeleteJobAsync(name, JobExporter.JobVersion, cancellationToken).ConfigureAwait(false);
                LogDeleted(logger, name);
            }
            catch (RacetrackApiException e) when (e.Status == 404)
            {
                // Gone already, or its deployment never created it.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted Racetrack job {Name}")]
    private static partial void LogDeleted(ILogger logger, string name);
}
