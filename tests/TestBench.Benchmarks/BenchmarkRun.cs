using Xunit;

namespace TestBench.Benchmarks;

/// <summary>All generated cases share one <see cref="BenchmarkFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BenchmarkRun : ICollectionFixture<BenchmarkFixture>
{
    public const string Name = "Workflow benchmarks";
}
