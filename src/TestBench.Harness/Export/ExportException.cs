namespace TestBench.Harness.Export;

/// <summary>One step of exporting an algorithm failed. The message reads
/// <c>&lt;step&gt; of '&lt;algorithm&gt;' (workflow &lt;name&gt;) failed: &lt;reason&gt;</c>.</summary>
public sealed class ExportException(string workflow, string algorithm, string step, string reason, Exception? inner = null)
    : Exception($"{step} of '{algorithm}' (workflow {workflow}) failed: {reason}", inner)
{
    public string Workflow { get; } = workflow;

    public string Algorithm { get; } = algorithm;

    public string Step { get; } = step;

    public string Reason { get; } = reason;

    /// <summary>The export that failed first when this step could not run because of it; <see langword="null"/> when this step itself failed.</summary>
    public ExportException? BlockedBy { get; private init; }

    /// <summary>
    /// <paramref name="step"/> of <paramref name="algorithm"/> cannot run because of <paramref name="cause"/>; the
    /// reason names the export that failed first, however far down a chain of blocked steps this one is.
    /// </summary>
    public static ExportException Blocked(string workflow, string algorithm, string step, ExportException cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var first = cause.BlockedBy ?? cause;
        return new ExportException(workflow, algorithm, step, $"blocked by export of {first.Algorithm}: {first.Message}", cause) { BlockedBy = first };
    }
}
