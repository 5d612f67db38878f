namespace TestBench.Harness.Tests.Builders;

/// <summary>A throw-away repository root with <c>TestBench.sln</c>, <c>workflows/</c> and <c>algorithms/</c>.</summary>
public sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Root = Directory.CreateTempSubdirectory("testbench-repo-").FullName;
        File.WriteAllText(Path.Combine(Root, "TestBench.sln"), "");
        Directory.CreateDirectory(WorkflowsDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "algorithms"));
    }

    public string Root { get; }

    public string WorkflowsDirectory => Path.Combine(Root, "workflows");

    /// <summary>Adds <c>algorithms/&lt;name&gt;/src/&lt;name&gt;.py</c> so a workflow may name the template.</summary>
    public TempRepository WithTemplate(string name, string source = "def apply(input):\n    return input\n")
    {
        var src = Path.Combine(Root, "algorithms", name, "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, name + ".py"), source);
        return this;
    }

    /// <summary>Writes <c>workflows/&lt;name&gt;.json</c> and returns its full path.</summary>
    public string WithWorkflow(string name, string json)
    {
        var path = Path.Combine(WorkflowsDirectory, name + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Copies a file into <c>workflows/</c> and returns the copy's full path.</summary>
    public string WithWorkflowFile(string sourcePath)
    {
        var path = Path.Combine(WorkflowsDirectory, Path.GetFileName(sourcePath));
        File.Copy(sourcePath, path, overwrite: true);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
