namespace TestBench.LocalCluster.Isolation;

/// <summary>How algorithm code runs on this cluster: in <paramref name="Sandbox"/>, or — when there is none — unsandboxed, for the reason given.</summary>
/// <param name="Sandbox">The sandbox, or <see langword="null"/>.</param>
/// <param name="WhyNot">Why there is no sandbox; <see langword="null"/> when there is one.</param>
public sealed record SandboxChoice(Sandbox? Sandbox, string? WhyNot)
{
    /// <summary>The warning a server prints at start when algorithms run unsandboxed.</summary>
    public string? Warning => Sandbox is null
        ? $"ALGORITHMS RUN UNSANDBOXED: they can read every file this server can, its keys and other users' data included ({WhyNot}). Install bubblewrap (apt-get install bubblewrap) to isolate them."
        : null;
}
