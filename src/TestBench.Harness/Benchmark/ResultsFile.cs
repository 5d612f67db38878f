using System.Collections.Concurrent;
using System.Text.Json;

namespace TestBench.Harness.Benchmark;

/// <summary>
/// Collects a run's measurements and writes them as <c>testbench-results.json</c> into the results directory
/// (next to the TRX files), written to a temporary name first so a reader never sees half a file.
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

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public void Add(Measurement measurement) => measurements.Enqueue(measurement);

    public IReadOnlyList<Measurement> Measurements => measurements.ToArray();

    /// <summary>The measurements of an earlier results file; empty when it cannot be read (history is best effort).</summary>
    public static IReadOnlyList<Measurement> Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Document>(stream, Format)?.Measurements ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return [];
        }
    }

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, new Document(Measurements.ToList()), Format, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    private sealed record Document(List<Measurement> Measurements);
}
