namespace TestBench.Harness.Workflows;

/// <summary>One problem found in a workflow file.</summary>
/// <param name="File">The file, relative to the repository root when it lies below it.</param>
/// <param name="JsonPath">Where in the file, as a JSON path such as <c>$.algorithms[1].name</c>.</param>
/// <param name="Message">What is wrong, in a sentence.</param>
public sealed record WorkflowError(string File, string JsonPath, string Message)
{
    /// <summary>The form used in test failures and logs: <c>file: path: message</c>.</summary>
    public override string ToString() => $"{File}: {JsonPath}: {Message}";
}
