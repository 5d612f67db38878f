using TestBench.Harness.Reporting;

namespace TestBench.Harness.History;

/// <summary>
/// Judges a test's measurement of this run together with its stored history on the same machine and target (issue
/// #28): the stored medians, this run's appended, through <see cref="SustainedShift"/>. This run is not stored yet when
/// its case is judged (the store takes the run when it ends), so it is added here; a point of this run already stored
/// (an import of a half-run) is not counted twice.
/// </summary>
/// <param name="store">The results store.</param>
/// <param name="policy">Threshold, significance and windows.</param>
public sealed class HistoryJudge(ResultsStore store, HistoryPolicy policy)
{
    /// <summary>The history's verdict on the series <paramref name="current"/> ends.</summary>
    public async Task<SeriesJudgement> JudgeAsync(Measurement current, RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(run);
        var stored = await store.ReadSeriesAsync(new SeriesKey(current.Workflow, current.Test, current.Target, run.Machine), cancellationToken).ConfigureAwait(false);
        var now = new SeriesPoint(run.Id, run.StartedAt, run.Commit, run.Targets.GetValueOrDefault(current.Target, "unknown"), current.Load.P50, current.Load.Throughput, current.Load.Calls, current.Verdict?.ToString().ToLowerInvariant());
        return SustainedShift.Judge([.. stored.Where(point => point.RunKey != run.Id), now], policy);
    }
}

/// <summary>The history's verdict on a test, or why there is none (no store, a store that failed).</summary>
public sealed record HistoryReading(SeriesJudgement? Judgement, string? Unavailable)
{
    /// <summary>The verdict's sentence, or why there is none.</summary>
    public string Describe() => Judgement?.Describe() ?? Unavailable ?? "no history";
}
