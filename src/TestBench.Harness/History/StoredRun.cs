using TestBench.Harness.Reporting;

namespace TestBench.Harness.History;

/// <summary>One run as the store keeps it: which run (<see cref="RunRecord"/>: its identity, when, where, at which
/// commit), what it measured and how it was judged.</summary>
public sealed record StoredRun
{
    /// <summary>The run's identity; its <see cref="RunRecord.Id"/> is the store's key, so the same run stored twice —
    /// written at its end and imported later from its history copy — is kept once.</summary>
    public required RunRecord Run { get; init; }

    /// <summary>Whether the run ended (a run killed half-way is stored with what it measured, marked so).</summary>
    public bool Complete { get; init; }

    /// <summary><c>run</c> when written by the run itself, <c>import</c> when read from a results file later.</summary>
    public required string Origin { get; init; }

    /// <summary>Each measured workflow's file, by its SHA-256: a changed workflow is a changed series.</summary>
    public IReadOnlyDictionary<string, string> WorkflowHashes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Measurement> Measurements { get; init; } = [];

    public IReadOnlyList<ExportMeasurement> Exports { get; init; } = [];
}

/// <summary>A test's series in the store: one test on one target, judged on one machine.</summary>
public sealed record SeriesKey(string Workflow, string Test, string Target, string Machine);

/// <summary>One run's point of a series: its median and where it came from.</summary>
public sealed record SeriesPoint(string RunKey, DateTimeOffset StartedAt, string? Commit, string Address, double P50Seconds, double Throughput, long Calls, string? Verdict);
