namespace TestBench.Harness.Workflows;

/// <summary>Thrown where a valid workflow is required but the file has problems.</summary>
public sealed class WorkflowException : Exception
{
    public WorkflowException(WorkflowLoadResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).DescribeErrors())
    {
        File = result.File;
        Errors = result.Errors;
    }

    /// <summary>The workflow file.</summary>
    public string File { get; }

    /// <summary>Every problem found; the first one's JSON path is the place to start.</summary>
    public IReadOnlyList<WorkflowError> Errors { get; }
}
