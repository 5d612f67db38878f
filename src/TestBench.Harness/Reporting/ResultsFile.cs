using System.Collections.Concurrent;
using System.Text.Json;
using TestBench.Harness.Histograms;

namespace TestBench.Harness.Reporting;

/// <summary>
/// Collects a run's measurements and writes them as <c>testbench-results.json</c> into the results directory
/// (next to the TRX files), written to a temporary name first so a reader never sees half a file; and each test's
/// percentile distribution in HdrHistogram's text format as <c>histograms/&lt;workflow&gt;.&lt;test&gt;.hgrm</c>.
/// </summary>
public sealed class ResultsFile(string directory)
{
    private static readonly JsonSerializerOptions Format = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public const string FileName = "testbench-results.json";

    private readonly ConcurrentQueue<Measurement> measurements = new();
    private readonly ConcurrentQueue<ExportMeasurement> exports = new();

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public void Add(Measurement measurement) => measurements.Enqueue(measurement);

    public IReadOnlyList<Measurement> Measurements => measurements.ToArray();

    public void AddExport(ExportMeasurement export) => exports.Enqueue(export);

    public IReadOnlyList<ExportMeasurement> Exports => exports.ToArray();

    /// <summary>The export measurements of an earlier results file; empty when there are none or it cannot be read.</summary>
    public static IReadOnlyList<ExportMeasurement> ReadExports(string path) => ReadDocument(path)?.Exports ?? [];

    /// <summary>The measurements of an earlier results file; empty when it cannot be read (history is best effort).</summary>
    public static IReadOnlyList<Measurement> Read(string path) => ReadDocument(path)?.Measurements ?? [];

    /// <summary>Writes the file (and the histograms) when anything was measured.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, new Document(Measurements.ToList()) { Exports = Exports.ToList() }, Format, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, Path, overwrite: true);
        foreach (var measurement in Measurements.Where(m => m.Load.Histogram is { TotalCount: > 0 }))
        {
            var histograms = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "histograms");
            Directory.CreateDirectory(histograms);
            await File.WriteAllTextAsync(System.IO.Path.Combine(histograms, HistogramFileName(measurement)), PercentileDistribution.Render(measurement.Load.Histogram!), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>&lt;bars name&gt;.&lt;test&gt;.hgrm</c>, the test's name lower-cased with every run of other characters
    /// than letters and digits made one dash: <c>hello_world.200-calls-from-4-callers.hgrm</c>,
    /// <c>hello_world.racetrack.200-calls-from-4-callers.hgrm</c>.</summary>
    public static string HistogramFileName(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var slug = System.Text.RegularExpressions.Regex.Replace(measurement.Test.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return $"{Judging.ApprovalFiles.BarsName(measurement.Workflow, measurement.Target)}.{slug}.hgrm";
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

    private sealed record Document(List<Measurement> Measurements)
    {
        public List<ExportMeasurement>? Exports { get; init; }
    }
}
