namespace TestBench.Harness.Workflows;

/// <summary>What loading one workflow file gave: the workflow, or every problem found in it.</summary>
public sealed record WorkflowLoadResult
{
    /// <summary>The workflow name (the file name without <c>.json</c>), known even when loading failed.</summary>
    public required string Name { get; init; }

    /// <summary>The file as shown in messages.</summary>
    public required string File { get; init; }

    /// <summary>The workflow; <see langword="null"/> exactly when <see cref="Errors"/> is not empty.</summary>
    public Workflow? Workflow { get; init; }

    /// <summary>Every problem found, in file order.</summary>
    public required IReadOnlyList<WorkflowError> Errors { get; init; }

    /// <summary>Whether the file loaded and passed validation.</summary>
    public bool IsValid => Workflow is not null;

    /// <summary>All problems as one message, one per line, headed by the file.</summary>
    public string DescribeErrors() =>
        $"Workflow file {File} is invalid ({Errors.Count} problem{(Errors.Count == 1 ? "" : "s")}):"
        + string.Concat(Errors.Select(e => Environment.NewLine + "  " + e));
}
