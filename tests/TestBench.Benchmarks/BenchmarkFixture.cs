using TestBench.Harness.Benchmark;
using TestBench.Harness.Configuration;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Benchmarks;

/// <summary>
/// Owns what a run shares: where the repository is, which target it benchmarks, and each workflow's state,
/// created once per workflow on first use however many cases need it.
/// </summary>
public sealed class BenchmarkFixture : IAsyncLifetime, IDisposable
{
    private readonly OncePerKey<string, Workflow> workflows;

    public BenchmarkFixture()
    {
        Layout = RepositoryLayout.Locate(AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
        Target = TargetKinds.Detect(Environment.GetEnvironmentVariable);
        Loader = new WorkflowLoader(Layout.Root);
        workflows = new OncePerKey<string, Workflow>((file, _) => Task.FromResult(Loader.LoadValid(file)));
    }

    public RepositoryLayout Layout { get; }

    public TargetKind Target { get; }

    public WorkflowLoader Loader { get; }

    /// <summary>The workflow of a case, loaded once per run.</summary>
    public Task<Workflow> GetWorkflowAsync(string file, CancellationToken cancellationToken) =>
        workflows.GetAsync(file, cancellationToken);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => workflows.Dispose();
}
