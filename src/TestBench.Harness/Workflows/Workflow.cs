namespace TestBench.Harness.Workflows;

/// <summary>
/// A validated workflow file: the algorithms to export (in dependency order) and the benchmark tests to run
/// against its entrypoint. Field names follow the original tool's JSON schema (see docs/writing-workflows.md).
/// </summary>
public sealed record Workflow
{
    /// <summary>The file name without <c>.json</c>; used as the <c>Workflow</c> trait and in case names.</summary>
    public required string Name { get; init; }

    /// <summary>The file as shown in messages: relative to the repository root when it lies below it.</summary>
    public required string File { get; init; }

    /// <summary><c>source_info.cluster_address</c>; defaults to <see cref="DefaultSourceClusterAddress"/>.</summary>
    public required Uri SourceClusterAddress { get; init; }

    /// <summary><c>test_info</c>; <see langword="null"/> when the workflow only exports.</summary>
    public TestInfo? TestInfo { get; init; }

    /// <summary><c>algorithms</c>, in file order: dependencies come first.</summary>
    public required IReadOnlyList<AlgorithmSpec> Algorithms { get; init; }

    /// <summary><c>run_only</c>: keep exported names stable between runs and keep the exports afterwards.</summary>
    public bool RunOnly { get; init; }

    /// <summary>The address the original tool used when <c>source_info</c> names none.</summary>
    public static readonly Uri DefaultSourceClusterAddress = new("https://api.algorithmia.com");

    /// <summary>The algorithm the benchmark tests call, or <see langword="null"/> without <c>test_info</c>.</summary>
    public AlgorithmSpec? Entrypoint =>
        TestInfo is null ? null : Algorithms.FirstOrDefault(a => a.Name == TestInfo.Entrypoint);
}
