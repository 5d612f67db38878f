namespace TestBench.Harness.Configuration;

/// <summary>A git revision of this repository that embedded servers are built from, and the setting that named it (for errors).</summary>
/// <param name="Revision">A commit, branch or tag: <c>main</c>, <c>HEAD~1</c>, a hash.</param>
/// <param name="Setting">The variable that named it: <c>TESTBENCH_BASELINE_COMMIT</c>.</param>
public sealed record CommitSetting(string Revision, string Setting);
