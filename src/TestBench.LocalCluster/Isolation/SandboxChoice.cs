namespace TestBench.LocalCluster.Isolation;

/// <summary>How algorithm code runs on this cluster: in <paramref name="Sandbox"/>, as <paramref name="Report"/> shows, or — when there is none — unsandboxed, for the reason given.</summary>
/// <param name="Sandbox">The sandbox, or <see langword="null"/>.</param>
/// <param name="Report">What the sandbox's probe saw from inside; <see langword="null"/> without a sandbox.</param>
/// <param name="WhyNot">Why there is no sandbox; <see langword="null"/> when there is one.</param>
public sealed record SandboxChoice(Sandbox? Sandbox, IsolationReport? Report, string? WhyNot)
{
    /// <summary>No sandbox, for <paramref name="reason"/>.</summary>
    public static SandboxChoice None(string reason) => new(null, null, reason);

    /// <summary>The warning a server prints at start when algorithms run unsandboxed.</summary>
    public string? Warning => Sandbox is null
        ? $"ALGORITHMS RUN UNSANDBOXED: they can read every file this server can, its keys and other users' data included ({WhyNot}). Install bubblewrap (apt-get install bubblewrap) to isolate them."
        : null;

    /// <summary>What a server prints at start: the isolation its code gets, or the warning that it gets none.</summary>
    public string Describe() => Warning ?? Report!.ToString();
}
