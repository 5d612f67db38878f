using System.Text.Json;
using TestBench.Harness.Histograms;

namespace TestBench.Harness.Reporting;

/// <summary>
/// A run's record, kept on disk as it grows: <c>testbench-results.json</c> in the results directory (next to the TRX
/// files) is rewritten after every measurement, export and case — to a temporary name first, so a reader never sees
/// half a file — with <c>"complete": false</c> until <see cref="WriteAsync"/> ends the run. A run killed half-way so
/// leaves everything it had measured, the case it died in (<see cref="CaseOutcome.Unfinished"/>) and why earlier cases
/// failed. Each test's percentile distribution goes to <c>histograms/&lt;workflow&gt;.&lt;test&gt;.hgrm</c> as it is measured.
/// With an attachments folder (<see cref="RunAttachments"/>), every version is handed on, so a killed test host's
/// record still reaches the TRX run.
/// </summary>
public sealed class ResultsFile(string directory, Func<string, string?>? environment = null)
{
    private static readonly JsonSerializerOptions Format = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public const string FileName = "testbench-results.json";

    private readonly Lock sync = new();
    private readonly List<Measurement> measurements = [];
    private readonly List<ExportMeasurement> exports = [];
    private readonly List<CaseRecord> cases = [];
    private readonly List<TargetOutage> outages = [];
    private readonly List<Leftover> leftovers = [];
    private readonly List<ComparisonMeasurement> comparisons = [];
    private RunRecord? run;
    private History.HistoryWrite? history;
    private bool complete;

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public IReadOnlyList<Measurement> Measurements => Snapshot(measurements);

    public IReadOnlyList<ExportMeasurement> Exports => Snapshot(exports);

    /// <summary>Every case started so far, in the order they started, with how each ended.</summary>
    public IReadOnlyList<CaseRecord> Cases => Snapshot(cases);

    public IReadOnlyList<TargetOutage> Outages => Snapshot(outages);

    public IReadOnlyList<Leftover> Leftovers => Snapshot(leftovers);

    /// <summary>The tests compared on a baseline and a candidate (a comparison run), each with every pair.</summary>
    public IReadOnlyList<ComparisonMeasurement> Comparisons => Snapshot(comparisons);

    /// <summary>Whether the run has anything to report: a measurement, an export's measures or a case.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (sync)
            {
                return measurements.Count + exports.Count + cases.Count + comparisons.Count == 0;
            }
        }
    }

    public void Add(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Change(() => measurements.Add(measurement));
        WriteHistogram(measurement);
    }

    public void AddExport(ExportMeasurement export) => Change(() => exports.Add(export));

    /// <summary>Records a case as started (<see cref="CaseOutcome.Unfinished"/>) until <see cref="Finish"/> says how it ended.</summary>
    public void Start(CaseRecord record) => Change(() => cases.Add(record));

    /// <summary>Records how the case <paramref name="name"/> ended.</summary>
    public void Finish(string name, CaseOutcome outcome, string? reason, DateTimeOffset at) => Change(() =>
    {
        var index = cases.FindLastIndex(c => c.Name == name);
        if (index >= 0)
        {
            cases[index] = cases[index] with { Outcome = outcome, Reason = reason, Seconds = Math.Max(0, (at - cases[index].StartedAt).TotalSeconds) };
        }
    });

    public void AddOutage(TargetOutage outage) => Change(() => outages.Add(outage));

    public void AddLeftover(Leftover leftover) => Change(() => leftovers.Add(leftover));

    public void AddComparison(ComparisonMeasurement comparison) => Change(() => comparisons.Add(comparison));

    /// <summary>Which run this is (written first, so even a run killed at once says it).</summary>
    public void Begin(RunRecord record) => Change(() => run = record);

    /// <summary>The run's identity; <see langword="null"/> before <see cref="Begin"/>.</summary>
    public RunRecord? Run
    {
        get
        {
            lock (sync)
            {
                return run;
            }
        }
    }

    /// <summary>Whether the run reached the results store, and if not, why.</summary>
    public void Record(History.HistoryWrite write) => Change(() => history = write);

    /// <summary>The run's identity in an earlier results file; <see langword="null"/> in files written before it was kept.</summary>
    public static RunRecord? ReadRun(string path) => ReadDocument(path)?.Run;

    /// <summary>Whether the run of an earlier results file reached the store; <see langword="null"/> when it did not say.</summary>
    public static History.HistoryWrite? ReadHistory(string path) => ReadDocument(path)?.History;

    /// <summary>The comparisons of an earlier results file.</summary>
    public static IReadOnlyList<ComparisonMeasurement> ReadComparisons(string path) => ReadDocument(path)?.Comparisons ?? [];

    /// <summary>The export measurements of an earlier results file; empty when there are none or it cannot be read.</summary>
    public static IReadOnlyList<ExportMeasurement> ReadExports(string path) => ReadDocument(path)?.Exports ?? [];

    /// <summary>The measurements of an earlier results file; empty when it cannot be read (history is best effort).</summary>
    public static IReadOnlyList<Measurement> Read(string path) => ReadDocument(path)?.Measurements ?? [];

    /// <summary>Whether an earlier results file says its run ended (<see langword="false"/> for one killed half-way).</summary>
    public static bool IsComplete(string path) => ReadDocument(path)?.Complete ?? false;

    /// <summary>The cases of an earlier results file.</summary>
    public static IReadOnlyList<CaseRecord> ReadCases(string path) => ReadDocument(path)?.Cases ?? [];

    /// <summary>What went wrong in the run of an earlier results file, whether it ended included.</summary>
    public static RunProblems ReadProblems(string path) => ReadDocument(path) is { } document
        ? ProblemsOf(document.Cases ?? [], document.Outages ?? [], document.Leftovers ?? []) with { RunEnded = document.Complete }
        : RunProblems.None with { RunEnded = false };

    /// <summary>Ends the run's record: the file marked complete, and every histogram.</summary>
    public Task WriteAsync(CancellationToken cancellationToken)
    {
        Change(() => complete = true);
        foreach (var measurement in Measurements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteHistogram(measurement);
        }

        return Task.CompletedTask;
    }

    /// <summary>What went wrong in the run, for the report's first screen.</summary>
    public RunProblems Problems => ProblemsOf(Cases, Outages, Leftovers);

    private static RunProblems ProblemsOf(IReadOnlyList<CaseRecord> cases, IReadOnlyList<TargetOutage> outages, IReadOnlyList<Leftover> leftovers) =>
        new([.. cases.Where(c => c.Outcome is CaseOutcome.Failed or CaseOutcome.Unfinished)], outages, leftovers);

    /// <summary><c>&lt;bars name&gt;.&lt;test&gt;.hgrm</c>, the test's name lower-cased with every run of other characters
    /// than letters and digits made one dash: <c>hello_world.200-calls-from-4-callers.hgrm</c>,
    /// <c>hello_world.racetrack.200-calls-from-4-callers.hgrm</c>.</summary>
    public static string HistogramFileName(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var slug = System.Text.RegularExpressions.Regex.Replace(measurement.Test.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return $"{Judging.ApprovalFiles.BarsName(measurement.Workflow, measurement.Target)}.{slug}.hgrm";
    }

    /// <summary>Applies a change and rewrites the file (atomically, one writer at a time), then hands it on to be attached.</summary>
    private void Change(Action change)
    {
        lock (sync)
        {
            change();
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".tmp";
            using (var file = File.Create(temporary))
            {
                JsonSerializer.Serialize(file, new Document([.. measurements]) { Exports = [.. exports], Cases = [.. cases], Outages = [.. outages], Leftovers = [.. leftovers], Comparisons = [.. comparisons], Complete = complete, Run = run, History = history }, Format);
            }

            File.Move(temporary, Path, overwrite: true);
            if (environment is not null)
            {
                RunAttachments.Attach(Path, environment);
            }
        }
    }

    private void WriteHistogram(Measurement measurement)
    {
        if (measurement.Load.Histogram is not { TotalCount: > 0 } histogram)
        {
            return;
        }

        var histograms = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "histograms");
        Directory.CreateDirectory(histograms);
        var file = System.IO.Path.Combine(histograms, HistogramFileName(measurement));
        File.WriteAllText(file + ".tmp", PercentileDistribution.Render(histogram));
        File.Move(file + ".tmp", file, overwrite: true);
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (sync)
        {
            return [.. list];
        }
    }

    private static Document? ReadDocument(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Document>(stream, Format);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The file's shape. <see cref="Complete"/> is absent (so <see langword="false"/>) in files written before it
    /// existed; history reads their measurements all the same.</summary>
    private sealed record Document(List<Measurement> Measurements)
    {
        public bool Complete { get; init; }

        public List<ExportMeasurement>? Exports { get; init; }

        public List<CaseRecord>? Cases { get; init; }

        public List<TargetOutage>? Outages { get; init; }

        public List<Leftover>? Leftovers { get; init; }

        public List<ComparisonMeasurement>? Comparisons { get; init; }

        public RunRecord? Run { get; init; }

        public History.HistoryWrite? History { get; init; }
    }
}
