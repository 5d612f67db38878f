namespace TestBench.Harness.Judging.Approvals;

/// <summary>How a result compared with what was expected.</summary>
/// <param name="Matched">Whether it matched.</param>
/// <param name="Message">Why not, with the paths to look at (relative to the repository), or <see langword="null"/>.</param>
public sealed record ApprovalResult(bool Matched, string? Message);
