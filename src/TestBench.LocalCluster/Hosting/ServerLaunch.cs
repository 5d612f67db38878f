namespace TestBench.LocalCluster.Hosting;

/// <summary>Which build an embedded server runs from and on which CPUs.</summary>
public sealed record ServerLaunch
{
    /// <summary>Servers from the build beside this assembly, on any CPU.</summary>
    public static readonly ServerLaunch Default = new();

    /// <summary>The CPUs the server and its workers may run on (<c>taskset -c</c>'s list, e.g. <c>1</c>), or
    /// <see langword="null"/> for any: two servers compared with each other run where each other run.</summary>
    public string? Cpus { get; init; }

    /// <summary>A directory holding a <c>TestBench.LocalCluster</c> build to start (one of <see cref="CommitBuild"/>),
    /// or <see langword="null"/> for the one beside this assembly.</summary>
    public string? BuildDirectory { get; init; }

    /// <summary>Where the server's executable is.</summary>
    internal string Directory => BuildDirectory ?? Path.GetDirectoryName(typeof(ServerLaunch).Assembly.Location) ?? AppContext.BaseDirectory;
}
