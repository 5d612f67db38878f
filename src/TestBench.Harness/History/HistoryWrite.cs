namespace TestBench.Harness.History;

/// <summary>Whether a run reached the store, which store, and if not, why: the summary's first line says it.</summary>
public sealed record HistoryWrite
{
    public required bool Written { get; init; }

    /// <summary>The store, described without secrets.</summary>
    public required string Store { get; init; }

    /// <summary>Why the run is not in the store (secrets redacted); <see langword="null"/> when it is.</summary>
    public string? Reason { get; init; }

    /// <summary>How many runs the store holds after this one.</summary>
    public long Runs { get; init; }

    /// <summary><c>history: this run stored in SQLite file … (12 runs)</c>, or <c>history NOT written to …: why</c>.</summary>
    public string Describe() => Written
        ? $"history: this run stored in {Store} ({Runs} run{(Runs == 1 ? "" : "s")})"
        : $"history NOT written to {Store}: {Reason}; the results file has everything this run measured";
}
