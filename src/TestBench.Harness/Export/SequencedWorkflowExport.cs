using Microsoft.Extensions.Logging;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// A workflow's export to a platform whose algorithms are exported one by one, each by <see cref="ExportOneAsync"/>, in
/// file order and once (see <see cref="ExportSequence"/>): the shape of the Racetrack and Wallaroo exports. A
/// remeasure exports the algorithm again under a fresh name and hands that copy to <see cref="DiscardCopyAsync"/>.
/// </summary>
public abstract class SequencedWorkflowExport : IWorkflowExport
{
    private readonly ExportSequence sequence;

    protected SequencedWorkflowExport(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        Workflow = workflow;
        Names = ExportNames.For(workflow);
        sequence = new ExportSequence(workflow, (algorithm, logger) => ExportOneAsync(algorithm, Names, logger, CancellationToken.None), Names.ExportedName);
    }

    public Workflow Workflow { get; }

    public abstract IBenchmarkCalls Calls { get; }

    /// <summary>The names this run gives the workflow's algorithms.</summary>
    protected ExportNames Names { get; }

    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        sequence.ExportAsync(templateName, logger, beforeFirst: null, cancellationToken);

    public IReadOnlyList<ExportedAlgorithm> Completed() => sequence.Completed();

    public async Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken)
    {
        await ExportAsync(templateName, logger, cancellationToken).ConfigureAwait(false);
        var fresh = Names.WithFreshName(templateName);
        try
        {
            return (await ExportOneAsync(Workflow.Algorithms.Single(a => a.Name == templateName), fresh, logger, cancellationToken).ConfigureAwait(false)).Measures;
        }
        finally
        {
            await DiscardCopyAsync(fresh.ExportedName(templateName), logger).ConfigureAwait(false);
        }
    }

    public abstract Task CleanupAsync(ILogger logger, CancellationToken cancellationToken);

    public abstract IReadOnlyList<string> Created();

    public abstract Task ProbeAsync(CancellationToken cancellationToken);

    public abstract Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken);

    /// <summary>Exports one algorithm of the workflow under <paramref name="names"/>.</summary>
    protected abstract Task<ExportedAlgorithm> ExportOneAsync(AlgorithmSpec algorithm, ExportNames names, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Removes a remeasured copy, exported as <paramref name="exportedName"/>, where the platform can.</summary>
    protected abstract Task DiscardCopyAsync(string exportedName, ILogger logger);

    /// <summary>The exported names of what this run created: completed exports it created, and failed ones.</summary>
    protected IReadOnlyList<string> CreatedOrFailed() => sequence.CreatedOrFailed();
}
