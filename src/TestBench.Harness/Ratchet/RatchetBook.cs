using TestBench.Harness.Benchmark;

namespace TestBench.Harness.Ratchet;

/// <summary>
/// One workflow's bars for a run: checks each test against its verified bar and keeps the received file
/// up to date with every raised or first bar of the run (the verified file is never touched).
/// </summary>
public sealed class RatchetBook
{
    private readonly string receivedFile;
    private readonly IReadOnlyDictionary<string, Bar> verified;
    private readonly Dictionary<string, Bar> proposed = new(StringComparer.Ordinal);
    private readonly RatchetPolicy policy;
    private readonly Lock sync = new();

    public RatchetBook(string workflowsDirectory, string workflow, RatchetPolicy policy)
    {
        VerifiedPath = BarFile.VerifiedPath(workflowsDirectory, workflow);
        receivedFile = BarFile.ReceivedPath(workflowsDirectory, workflow);
        verified = BarFile.Read(VerifiedPath);
        this.policy = policy;
    }

    public string VerifiedPath { get; }

    /// <summary>The received file, once this run proposed a raised or first bar; otherwise <see langword="null"/>.</summary>
    public string? ReceivedPath
    {
        get
        {
            lock (sync)
            {
                return proposed.Count > 0 ? receivedFile : null;
            }
        }
    }

    /// <summary>Checks one test; a raised or first bar is written to the received file at once.</summary>
    /// <returns>The outcome, and a note for the test output (naming the received file and how to accept it).</returns>
    public (RatchetOutcome Outcome, string Note) Check(string test, LoadResult load)
    {
        var outcome = policy.Check(verified.GetValueOrDefault(test), load);
        if (outcome.Proposed is null)
        {
            return (outcome, $"bar of '{test}': {outcome.Verdict.ToString().ToLowerInvariant()}: {string.Join("; ", outcome.Reasons)}");
        }

        lock (sync)
        {
            proposed[test] = outcome.Proposed;
            var all = verified.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);
            foreach (var (name, bar) in proposed)
            {
                all[name] = bar;
            }

            BarFile.Write(receivedFile, all);
        }

        // Paths relative to the repository (the folder holding workflows/), so the one-liner works from there.
        var root = Path.GetDirectoryName(Path.GetDirectoryName(VerifiedPath))!;
        var received = Path.GetRelativePath(root, receivedFile);
        var accepted = Path.GetRelativePath(root, VerifiedPath);
        var what = outcome.Verdict == RatchetVerdict.Raised ? "bar raised" : "first bar recorded";
        return (outcome, $"bar of '{test}': {what}; written to {received}. Accept it with: mv {received} {accepted}");
    }
}
