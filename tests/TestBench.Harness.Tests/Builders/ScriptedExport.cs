using Microsoft.Extensions.Logging;
using TestBench.Harness.Export;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// An export whose clean-up and probe do what the test says (succeed, or throw a given exception), for the run's
/// end-of-run logic: what it records, what it asks and what it leaves alone. Exporting is not what these tests are
/// about, so it is not supported.
/// </summary>
public sealed class ScriptedExport(string workflow, IReadOnlyList<string> created) : IWorkflowExport
{
    public Workflow Workflow { get; } = new() { Name = workflow, File = $"workflows/{workflow}.json", SourceClusterAddress = new Uri("http://127.0.0.1:1/"), Algorithms = [] };

    /// <summary>What <see cref="CleanupAsync"/> throws; <see langword="null"/>: it succeeds.</summary>
    public Exception? CleanupFailure { get; init; }

    /// <summary>What <see cref="ProbeAsync"/> throws; <see langword="null"/>: the target answers.</summary>
    public Exception? ProbeFailure { get; init; }

    public int CleanupCalls { get; private set; }

    public int ProbeCalls { get; private set; }

    public IBenchmarkCalls Calls => throw new NotSupportedException("a scripted export makes no calls");

    public IReadOnlyList<string> Created() => created;

    public IReadOnlyList<ExportedAlgorithm> Completed() => [];

    public Task CleanupAsync(ILogger logger, CancellationToken cancellationToken)
    {
        CleanupCalls++;
        return CleanupFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task ProbeAsync(CancellationToken cancellationToken)
    {
        ProbeCalls++;
        return ProbeFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<ExportedAlgorithm> ExportAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a scripted export exports nothing");

    public Task<IReadOnlyList<ExportMeasure>> RemeasureAsync(string templateName, ILogger logger, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a scripted export exports nothing");

    public Task<int> DeleteAllAsync(ILogger logger, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a scripted export deletes nothing");
}
