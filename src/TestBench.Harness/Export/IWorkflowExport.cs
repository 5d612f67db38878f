using Microsoft.Extensions.Logging;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// A workflow's export to one destination, shared by its cases: algorithms exported once each, in file order, on first
/// demand; the benchmark's call path to them; and clean-up of what was exported.
/// </summary>
public interface IWorkflowExport
{
    Workflow Workflow { get; }

    /// <summary>How the benchmark calls what this export made.</summary>
    IBenchmarkCalls Calls { get; }

    /// <summary>Exports the algorithms up to <paramref name="templateName"/> (each once) and returns that one.</summary>
    Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken);

    /// <summary>
    /// Exports <paramref name="templateName"/> once more under a fresh name (after its dependencies are exported), for
    /// its measures, and deletes that copy: a one-time measure such as a cold start is confirmed by measuring it again.
    /// </summary>
    Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken);

    /// <summary>The algorithms exported so far (successfully).</summary>
    IReadOnlyList<ExportedAlgorithm> Completed();

    /// <summary>What this run created on the destination that <see cref="CleanupAsync"/> would delete, as the destination
    /// names it (<c>testbench/hello_world_1a2b</c>, <c>hello-world-1a2b 0.0.1</c>): what a failed clean-up leaves behind.</summary>
    IReadOnlyList<string> Created();

    /// <summary>Asks the destination something cheap that needs no export, to tell a target that stopped answering from one
    /// that failed a case.</summary>
    /// <exception cref="Resilience.TargetFaultException">It gave no answer.</exception>
    Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Deletes what this run created (its failed exports included); <c>run_only</c> workflows keep theirs.</summary>
    Task CleanupAsync(ILogger logger, CancellationToken cancellationToken);

    /// <summary>Deletes every TestBench export of the workflow on the destination, from this run and earlier or crashed ones.</summary>
    /// <returns>How many were deleted or already gone.</returns>
    Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken);
}
