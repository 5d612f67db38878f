using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Reporting;

namespace TestBench.Harness.Running;

/// <summary>
/// The end-of-run clean-up: deletes what each export created, each within <see cref="Limit"/>, and never lets one
/// failure stop the others or the run's report. What could not be deleted is recorded as a <see cref="Leftover"/> with
/// the command that deletes it; a target already found down is not asked at all.
/// </summary>
public sealed class ExportCleanup(ResultsFile results, TargetOutages outages, SecretRedactor redactor)
{
    /// <summary>The most one export's clean-up may take. <value>2 minutes.</value></summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Cleans up every export.</summary>
    /// <returns>What was left on targets that were answering: a failed clean-up the run reports as such.</returns>
    public async Task<IReadOnlyList<Leftover>> RunAsync(IEnumerable<CleanupItem> exports, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(exports);
        List<Leftover> failed = [];
        foreach (var item in exports)
        {
            var (target, export, _) = item;
            var workflow = export.Workflow.Name;
            if (outages.Of(target) is { } outage)
            {
                if (export.Created().Count == 0)
                {
                    continue;
                }

                Record(item, $"not attempted: the target stopped answering during '{outage.FoundDuring}'");
                continue;
            }

            using var limit = new CancellationTokenSource(Limit);
            try
            {
                await export.CleanupAsync(logger, limit.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every failure is recorded with what it left; the other exports and the report still go on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var why = e is OperationCanceledException && limit.IsCancellationRequested
                    ? FormattableString.Invariant($"the clean-up took longer than {Limit.TotalMinutes:0} minutes")
                    : redactor.Redact(e.Message);
                var down = await outages.CheckAfterFailureAsync(target, $"clean-up of {workflow}", e, export.ProbeAsync).ConfigureAwait(false);
                var leftover = Record(item, down is null ? why : $"{why} (the target stopped answering)");
                if (down is null)
                {
                    failed.Add(leftover);
                }
            }
        }

        return failed;
    }

    private Leftover Record(CleanupItem item, string why)
    {
        var leftover = new Leftover(item.Target, item.Export.Workflow.Name, item.Export.Created(), why, item.HowToDelete);
        results.AddLeftover(leftover);
        return leftover;
    }
}

/// <summary>An export to clean up: the target it is on, as the results name it, and the command that deletes it later
/// if this clean-up cannot.</summary>
/// <param name="Target">The target (<c>local</c>, <c>racetrack (candidate)</c>…).</param>
/// <param name="Export">The export.</param>
/// <param name="HowToDelete">What deletes it later.</param>
public sealed record CleanupItem(string Target, IWorkflowExport Export, string HowToDelete)
{
    /// <summary>An export on one of the run's own targets: its clean-up case deletes it later.</summary>
    public static CleanupItem OnTarget(string target, IWorkflowExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return new(target, export, Leftover.CleanupCommand(export.Workflow.Name, target));
    }
}
