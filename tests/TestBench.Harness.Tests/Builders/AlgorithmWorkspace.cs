using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Runtime;

namespace TestBench.Harness.Tests.Builders;

/// <summary>A copy of a test algorithm from <c>TestData/Algorithms</c> in a temporary folder, built on demand.</summary>
public sealed class AlgorithmWorkspace : IDisposable
{
    private AlgorithmWorkspace(string name, string root)
    {
        Name = name;
        Root = root;
        Directory = Path.Combine(root, name);
    }

    public string Name { get; }

    public string Root { get; }

    /// <summary>The algorithm directory (holding <c>src/</c>).</summary>
    public string Directory { get; }

    public static string Python { get; } = PythonInterpreter.Locate(Environment.GetEnvironmentVariable);

    public static AlgorithmWorkspace Copy(string name)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("testbench-algo-").FullName;
        var workspace = new AlgorithmWorkspace(name, root);
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "TestData", "Algorithms", name), workspace.Directory);
        return workspace;
    }

    public Task<BuildResult> BuildAsync(bool failOnAlgorithmTests = false) =>
        new PythonBuilder(TimeProvider.System, failOnAlgorithmTests: failOnAlgorithmTests).BuildAsync(Name, Directory, Path.Combine(Root, "venv"), Python, CancellationToken.None);

    public WorkerSpec Spec(BuildResult build, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Label = "tests/" + Name,
        AlgorithmName = Name,
        Directory = Directory,
        Python = build.Python,
        BaseInterpreter = Python,
        Environment = environment ?? new Dictionary<string, string>(),
    };

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);

    private static void CopyDirectory(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
