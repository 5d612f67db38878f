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

    /// <summary>Cleans up every export (target, export).</summary>
    /// <returns>What was left on targets that were answering: a failed clean-up the run reports as such.</returns>
    public async Task<IReadOnlyList<Leftover>> RunAsync(IEnumerable<(string Target, IWorkflowExport Export)> exports, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(exports);
        List<Leftover> failed = [];
        foreach (var (target, export) in exports)
        {
            var workflow = export.Workflow.Name;
            if (outages.Of(target) is { } outage)
            {
                if (export.Created().Count == 0)
                {
                    continue;
                }

                Record(target, export, $"not attempted: the target stopped answering during '{outage.FoundDuring}'");
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
                var leftover = Record(target, export, down is null ? why : $"{why} (the target stopped answering)");
                if (down is null)
                {
                    failed.Add(leftover);
                }
            }
        }

        return failed;
    }

    private Leftover Record(string target, IWorkflowExport export, string why)
    {
        var leftover = new Leftover(target, export.Workflow.Name, export.Created(), why, Leftover.CleanupCommand(export.Workflow.Name, target));
        results.AddLeftover(leftover);
        return leftover;
    }
}
