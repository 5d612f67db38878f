namespace TestBench.Harness.Reporting;

/// <summary>What went wrong in a run: cases that failed or never finished, targets that stopped answering, and what the
/// clean-up left behind.</summary>
public sealed record RunProblems(IReadOnlyList<CaseRecord> FailedCases, IReadOnlyList<TargetOutage> Outages, IReadOnlyList<Leftover> Leftovers)
{
    public static RunProblems None { get; } = new([], [], []);

    /// <summary>Whether the run reached its end; <see langword="false"/> for one whose test host was killed or cancelled
    /// half-way (its record then comes from the results file it left). <value>Default true.</value></summary>
    public bool RunEnded { get; init; } = true;

    public bool Any => FailedCases.Count + Outages.Count + Leftovers.Count > 0 || !RunEnded;
}
