namespace TestBench.Harness.Resilience;

/// <summary>How many times a request was sent and how long that took, for the failure message's "what was tried".</summary>
public readonly record struct Attempts(int Count, TimeSpan Elapsed)
{
    /// <summary><c>tried once (0.2 s)</c> or <c>tried 5 times over 4.6 s</c>.</summary>
    public override string ToString() =>
        Count <= 1 ? FormattableString.Invariant($"tried once ({Elapsed.TotalSeconds:0.0} s)") : FormattableString.Invariant($"tried {Count} times over {Elapsed.TotalSeconds:0.0} s");
}
