using TestBench.Harness.Judging.Ratchet;

namespace TestBench.Harness.Reporting;

/// <summary>What one algorithm's export measured, each measure with its verdict against its bar.</summary>
public sealed record ExportMeasurement
{
    public required string Workflow { get; init; }

    /// <summary>The target it was exported to.</summary>
    public string Target { get; init; } = "local";

    /// <summary>The algorithm's template name.</summary>
    public required string Algorithm { get; init; }

    public required IReadOnlyList<JudgedExportMeasure> Measures { get; init; }

    public required DateTimeOffset At { get; init; }

    public static ExportMeasurement Of(string workflow, string algorithm, IEnumerable<ExportOutcome> outcomes, DateTimeOffset at) => new()
    {
        Workflow = workflow,
        Algorithm = algorithm,
        At = at,
        Measures = [.. outcomes.Select(o => new JudgedExportMeasure(o.Measure.Name, o.Measure.Value, o.Measure.Unit, o.Verdict, o.Reason) { NoiseGuarded = o.NoiseGuarded })],
    };
}

/// <summary>One export measure, its verdict and the reason for it.</summary>
public sealed record JudgedExportMeasure(string Name, double Value, string Unit, RatchetVerdict Verdict, string Reason)
{
    public bool NoiseGuarded { get; init; }

    /// <summary>E.g. <c>build 2.41 s</c>.</summary>
    public string Describe() => FormattableString.Invariant($"{Name} {Value:0.###} {Unit}");
}
