namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// The verified bar of one export measure (a step's duration, the copy's speed, a first call): the accepted value
/// with its unit, direction and provenance. An export happens once a run, so each run adds one value, judged against
/// this one by a practical threshold alone (<see cref="ExportJudge"/>).
/// </summary>
public sealed record ExportBar
{
    /// <summary><c>s</c>, <c>ms</c> or <c>MB/s</c>.</summary>
    public required string Unit { get; init; }

    public required bool HigherIsBetter { get; init; }

    /// <summary>The accepted value.</summary>
    public required double Value { get; init; }

    public required DateTimeOffset MeasuredAt { get; init; }

    public string? Commit { get; init; }

    /// <summary>The machine that measured the value.</summary>
    public required string Machine { get; init; }

    /// <summary>The measure's spread over repeated runs (highest over lowest, minus one), when
    /// <c>bench/verdicts.sh noise</c> measured it; it widens the practical threshold.</summary>
    public double? Noise { get; init; }

    /// <summary>How many runs the value is the median of, when it came from <c>bench/verdicts.sh noise</c>.</summary>
    public int? Runs { get; init; }
}
