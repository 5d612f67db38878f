namespace TestBench.Harness.Workflows;

/// <summary><c>test_info</c>: the algorithm the tests call, and the tests in the order they run.</summary>
public sealed record TestInfo
{
    /// <summary><c>entrypoint</c>: the template name of one of the workflow's algorithms.</summary>
    public required string Entrypoint { get; init; }

    /// <summary><c>tests</c>, in file order.</summary>
    public required IReadOnlyList<WorkflowTest> Tests { get; init; }
}
