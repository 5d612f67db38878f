namespace TestBench.Harness.Configuration;

/// <summary>Where the repository's inputs live: <c>workflows/</c>, <c>algorithms/</c> and <c>artifacts/</c>.</summary>
public sealed record RepositoryLayout
{
    /// <summary>The environment variable that names the repository root explicitly.</summary>
    public const string RootVariable = "TESTBENCH_ROOT";

    /// <summary>The repository root.</summary>
    public required string Root { get; init; }

    public string WorkflowsDirectory => Path.Combine(Root, "workflows");

    public string AlgorithmsDirectory => Path.Combine(Root, "algorithms");

    public string ArtifactsDirectory => Path.Combine(Root, "artifacts");

    /// <summary>
    /// Finds the root: <c>TESTBENCH_ROOT</c> when set, otherwise the nearest folder at or above
    /// <paramref name="startDirectory"/> that holds both <c>TestBench.sln</c> and <c>workflows/</c>
    /// (test assemblies run from <c>bin/</c>, several levels below it).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No root was found; the message says where it looked.</exception>
    public static RepositoryLayout Locate(string startDirectory, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (getEnvironmentVariable(RootVariable) is { Length: > 0 } configured)
        {
            return Directory.Exists(configured)
                ? new RepositoryLayout { Root = Path.GetFullPath(configured) }
                : throw new DirectoryNotFoundException($"{RootVariable} names '{configured}', which is not a folder.");
        }

        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TestBench.sln")) && Directory.Exists(Path.Combine(directory.FullName, "workflows")))
            {
                return new RepositoryLayout { Root = directory.FullName };
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder at or above '{startDirectory}' holds TestBench.sln and workflows/; set {RootVariable} to the repository root.");
    }
}
