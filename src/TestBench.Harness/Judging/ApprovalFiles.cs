using System.Text.RegularExpressions;

namespace TestBench.Harness.Judging;

/// <summary>
/// A verified file and its received twin beside it, Verify's convention for everything the judging stage
/// proposes: the verified file is committed and never written by a run; a proposal goes to the received file (git
/// ignores those), and accepting it is one <c>mv</c>. Snapshots are <c>&lt;workflow&gt;.&lt;test&gt;.verified.json</c>;
/// bar files keep the name they have always had, <c>&lt;workflow&gt;.ratchet.json</c>.
/// </summary>
/// <param name="Verified">The committed file.</param>
/// <param name="Received">The proposal beside it.</param>
public sealed partial record ApprovalFiles(string Verified, string Received)
{
    /// <summary>The snapshot of one test's result; characters unsafe in a file name become <c>_</c>.</summary>
    public static ApprovalFiles Snapshot(string workflowsDirectory, string workflow, string test)
    {
        var stem = Path.Combine(workflowsDirectory, $"{workflow}.{UnsafeInFileName().Replace(test, "_")}");
        return new(stem + ".verified.json", stem + ".received.json");
    }

    /// <summary>A workflow's bars; <paramref name="workflow"/> is a <see cref="BarsName"/>.</summary>
    public static ApprovalFiles Bars(string workflowsDirectory, string workflow) =>
        new(Path.Combine(workflowsDirectory, $"{workflow}.ratchet.json"), Path.Combine(workflowsDirectory, $"{workflow}.ratchet.received.json"));

    /// <summary>
    /// Whose bars a workflow's measurements on <paramref name="target"/> are judged against: Algorithmia-style targets
    /// (<c>local</c>, <c>algorithmia</c>) share <c>&lt;workflow&gt;.ratchet.json</c>, as they always have; another platform
    /// has its own, <c>&lt;workflow&gt;.&lt;target&gt;.ratchet.json</c> (e.g. <c>hello_world.racetrack.ratchet.json</c>).
    /// </summary>
    public static string BarsName(string workflow, string target) => target is "local" or "algorithmia" ? workflow : $"{workflow}.{target}";

    /// <summary>
    /// The one-liner that accepts the received file, with paths relative to the repository (the folder holding the
    /// workflows folder), so it works from there: <c>mv workflows/x.received.json workflows/x.verified.json</c>.
    /// </summary>
    public string AcceptCommand()
    {
        var (received, verified) = Relative();
        return $"mv {received} {verified}";
    }

    /// <summary>Both paths relative to the repository.</summary>
    public (string Received, string Verified) Relative()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(Verified)))!;
        return (Path.GetRelativePath(root, Received), Path.GetRelativePath(root, Verified));
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex UnsafeInFileName();
}
