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
public sealed partial class RacetrackWorkflowExport : IWorkflowExport
{
    private readonly RacetrackTarget target;
    private readonly TimeProvider time;
    private readonly ExportSequence sequence;
    private readonly ExportNames names;

    public RacetrackWorkflowExport(Workflow workflow, RacetrackTarget target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(target);
        Workflow = workflow;
        this.target = target;
        this.time = time;
        names = ExportNames.For(workflow);
        sequence = new ExportSequence(workflow, (algorithm, logger) => new JobExporter(target, time).ExportAsync(workflow, algorithm, names, logger, CancellationToken.None), names.ExportedName);
    }

    public Workflow Workflow { get; }

    public IBenchmarkCalls Calls => target.Calls;

    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        sequence.ExportAsync(templateName, logger, beforeFirst: null, cancellationToken);

    public IReadOnlyList<ExportedAlgorithm> Completed() => sequence.Completed();

    public async Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken)
    {
        await ExportAsync(templateName, logger, cancellationToken).ConfigureAwait(false);
        var fresh = names.WithFreshName(templateName);
        try
        {
            return (await new JobExporter(target, time).ExportAsync(Workflow, Workflow.Algorithms.Single(a => a.Name == templateName), fresh, logger, cancellationToken).ConfigureAwait(false)).Measures;
        }
        finally
        {
            await DeleteAsync([JobExporter.RacetrackName(fresh.ExportedName(templateName))], logger, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task CleanupAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (!Workflow.RunOnly)
        {
            await DeleteAsync([.. sequence.CreatedOrFailed().Select(JobExporter.RacetrackName)], logger, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken)
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
