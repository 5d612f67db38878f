using System.Collections.Concurrent;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Reporting;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Running;

/// <summary>
/// Which targets stopped answering during the run. After a case fails, its target is judged down when the failure itself
/// says so (a <see cref="TargetFaultException"/> for a server that gave no answer, anywhere in the chain) or when a cheap
/// probe of the target gets no answer within <see cref="ProbeLimit"/>. A target found down is recorded once — in the
/// results and with the case it was found in — and every later case on it fails at once with that reason instead of
/// timing out on its own; other targets carry on.
/// </summary>
/// <param name="results">Where an outage is recorded.</param>
/// <param name="redactor">The run's redactor, asked when an outage is recorded (embedded servers' keys are known only once they start).</param>
/// <param name="time">Stamps the outage.</param>
public sealed class TargetOutages(ResultsFile results, Func<SecretRedactor> redactor, TimeProvider time)
{
    /// <summary>How long a probe of a target may take before the target counts as down. <value>10 s.</value></summary>
    public static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TargetOutage> down = new(StringComparer.Ordinal);

    /// <summary>The outage of <paramref name="target"/>, when it was found down.</summary>
    public TargetOutage? Of(string target) => down.GetValueOrDefault(target);

    /// <summary>Records that <paramref name="target"/> could not be set up, so that its cases fail at once with <paramref name="why"/>.</summary>
    public TargetOutage RecordAtStart(string target, Exception why)
    {
        ArgumentNullException.ThrowIfNull(why);
        return Record(new TargetOutage(target, TargetOutage.StartOfRun, redactor().Redact(why.Message), time.GetUtcNow()));
    }

    /// <summary>Decides, after <paramref name="caseName"/> failed with <paramref name="failure"/>, whether <paramref name="target"/> is down.</summary>
    /// <param name="target">The case's target.</param>
    /// <param name="caseName">The case, for the record.</param>
    /// <param name="failure">Why it failed.</param>
    /// <param name="probe">Asks the target something cheap (<see cref="Export.IWorkflowExport.ProbeAsync"/>); <see langword="null"/> when there is nothing to ask with.</param>
    /// <returns>The outage, when the target is down.</returns>
    public async Task<TargetOutage?> CheckAfterFailureAsync(string target, string caseName, Exception failure, Func<CancellationToken, Task>? probe)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (down.TryGetValue(target, out var known))
        {
            return known;
        }

        var reason = FaultIn(failure) is { ServerDown: true } fault ? fault.Message : probe is null ? null : await ProbeAsync(probe).ConfigureAwait(false);
        if (reason is null)
        {
            return null;
        }

        return Record(new TargetOutage(target, caseName, redactor().Redact(reason), time.GetUtcNow()));
    }

    /// <summary>Keeps the first outage found of a target (recorded in the results once) and returns it.</summary>
    private TargetOutage Record(TargetOutage outage)
    {
        if (down.TryAdd(outage.Target, outage))
        {
            results.AddOutage(outage);
        }

        return down[outage.Target];
    }

    /// <summary>Why the target counts as down after the probe; <see langword="null"/> when it answered (even with an error).</summary>
    private static async Task<string?> ProbeAsync(Func<CancellationToken, Task> probe)
    {
        using var limit = new CancellationTokenSource(ProbeLimit);
        try
        {
            await probe(limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (TargetFaultException e) when (e.ServerDown)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return FormattableString.Invariant($"a probe of the target got no answer within {ProbeLimit.TotalSeconds:0} s.");
        }
#pragma warning disable CA1031 // Any other answer, an error status included, shows the target is there.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static TargetFaultException? FaultIn(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is TargetFaultException fault)
            {
                return fault;
            }
        }

        return null;
    }
}
