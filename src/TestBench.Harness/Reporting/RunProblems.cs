namespace TestBench.Harness.Reporting;

/// <summary>What went wrong in a run: cases that failed or never finished, targets that stopped answering, and what the
/// clean-up left behind.</summary>
public sealed record RunProblems(IReadOnlyList<CaseRecord> FailedCases, IReadOnlyList<TargetOutage> Outages, IReadOnlyList<Leftover> Leftovers)
{
    public static RunProblems None { get; } = new([], [], []);

    public bool Any => FailedCases.Count + Outages.Count + Leftovers.Count > 0;
}
