using TestBench.Harness.Algorithmia;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>How every destination's exporter runs its steps: a failure becomes an <see cref="ExportException"/> naming
/// the step (its message redacted), and a timed step's duration becomes an <see cref="ExportMeasure"/>.</summary>
internal static class ExportStep
{
    /// <summary>Runs one step; missing prerequisites, cancellation and export failures pass through as they are.</summary>
    public static async Task<T> RunAsync<T>(Workflow workflow, AlgorithmSpec algorithm, string step, SecretRedactor redactor, Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (PrerequisiteMissingException or OperationCanceledException or ExportException))
        {
            throw new ExportException(workflow.Name, algorithm.Name, step, redactor.Redact(e.Message), e);
        }
    }

    /// <summary>Runs <paramref name="step"/> and adds its duration to <paramref name="measures"/> as <paramref name="name"/>, in seconds.</summary>
    public static async Task<T> TimedAsync<T>(TimeProvider time, List<ExportMeasure> measures, string name, Func<Task<T>> step)
    {
        var started = time.GetTimestamp();
        var result = await step().ConfigureAwait(false);
        measures.Add(ExportMeasure.Seconds(name, time.GetElapsedTime(started)));
        return result;
    }
}
