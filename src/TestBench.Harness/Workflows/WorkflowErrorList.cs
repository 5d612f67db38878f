namespace TestBench.Harness.Workflows;

/// <summary>Collects the problems of one workflow file while it is read and validated.</summary>
internal sealed class WorkflowErrorList(string file)
{
    private readonly List<WorkflowError> errors = [];

    public string File { get; } = file;

    public int Count => errors.Count;

    public IReadOnlyList<WorkflowError> ToList() => errors.ToArray();

    public void Add(string jsonPath, string message) => errors.Add(new WorkflowError(File, jsonPath, message));
}
