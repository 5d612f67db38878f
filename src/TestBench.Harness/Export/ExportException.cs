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
}
