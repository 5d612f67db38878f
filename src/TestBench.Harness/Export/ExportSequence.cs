using Microsoft.Extensions.Logging;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Runs a workflow's exports once each, in file order (dependencies first), on first demand. When one fails, every
/// later algorithm fails fast with "blocked by export of X: reason" (or is skipped, when a prerequisite was missing).
/// The names of failed exports are kept for clean-up.
/// </summary>
/// <param name="workflow">The workflow whose algorithms are exported.</param>
/// <param name="exportOne">Exports one algorithm; its exported name is <paramref name="exportedNameOf"/>'s.</param>
/// <param name="exportedNameOf">The name an algorithm gets on the destination.</param>
internal sealed class ExportSequence(Workflow workflow, Func<AlgorithmSpec, ILogger, Task<ExportedAlgorithm>> exportOne, Func<string, string> exportedNameOf)
{
    private const string BlockedStep = "Export";

    private readonly Lock sync = new();
    private readonly List<Task<ExportedAlgorithm>> exports = [];
    private readonly List<string> failed = [];

    /// <summary>Exports the algorithms up to <paramref name="templateName"/> (each once) and returns that one.</summary>
    /// <param name="templateName">The algorithm's name in the workflow.</param>
    /// <param name="logger">Where progress goes: the output of the case that asked first.</param>
    /// <param name="beforeFirst">Started once, before the first export (e.g. looking up the destination's user).</param>
    /// <param name="cancellationToken">Stops waiting; an export already running goes on for other cases.</param>
    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, Action? beforeFirst, CancellationToken cancellationToken)
    {
        var index = IndexOf(templateName);
        lock (sync)
        {
            if (exports.Count == 0)
            {
                beforeFirst?.Invoke();
            }

            while (exports.Count <= index)
            {
                var previous = exports.Count == 0 ? null : exports[^1];
                exports.Add(ExportAfterAsync(previous, workflow.Algorithms[exports.Count], logger));
            }

            return exports[index].WaitAsync(cancellationToken);
        }
    }

    /// <summary>The algorithms exported so far (successfully).</summary>
    public IReadOnlyList<ExportedAlgorithm> Completed()
    {
        lock (sync)
        {
            return exports.Where(e => e.IsCompletedSuccessfully).Select(e => e.Result).ToArray();
        }
    }

    /// <summary>The exported names of what this run created: completed exports it created, and failed ones.</summary>
    public IReadOnlyList<string> CreatedOrFailed()
    {
        var created = Completed().Where(e => e.CreatedByThisRun).Select(e => e.ExportedName);
        lock (sync)
        {
            return [.. created, .. failed];
        }
    }

    private async Task<ExportedAlgorithm> ExportAfterAsync(Task<ExportedAlgorithm>? previous, AlgorithmSpec algorithm, ILogger logger)
    {
        if (previous is not null)
        {
            try
            {
                await previous.ConfigureAwait(false);
            }
            catch (PrerequisiteMissingException e)
            {
                throw PrerequisiteMissingException.Blocked(e);
            }
            catch (ExportException e)
            {
                throw ExportException.Blocked(workflow.Name, algorithm.Name, BlockedStep, e);
            }
        }

        try
        {
            return await exportOne(algorithm, logger).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (sync)
            {
                failed.Add(exportedNameOf(algorithm.Name));
            }

            throw;
        }
    }

    private int IndexOf(string templateName)
    {
        for (var i = 0; i < workflow.Algorithms.Count; i++)
        {
            if (workflow.Algorithms[i].Name == templateName)
            {
                return i;
            }
        }

        throw new ArgumentException($"Workflow {workflow.Name} has no algorithm '{templateName}'.", nameof(templateName));
    }
}
