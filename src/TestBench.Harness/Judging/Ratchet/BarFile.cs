using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// <c>workflows/&lt;name&gt;.ratchet.json</c>: the verified bar of each test, by test name, of each export measure
/// (<c>exports</c>, by algorithm and measure), and the calibration
/// baseline of the machine that measured them. A raised or first bar is written beside it as
/// <c>&lt;name&gt;.ratchet.received.json</c> (Verify's convention; git ignores it); accepting is moving the received
/// file over the verified one. Files without reference samples or calibration (written before statistical
/// verdicts) still load.
/// </summary>
public static class BarFile
{
    private static readonly JsonSerializerOptions Format = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The bars by test name and the calibration baseline; empty when there is no file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it, the JSON path and the reason.</exception>
    public static BarDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            return BarDocument.Empty;
        }

        try
        {
            var document = JsonSerializer.Deserialize<BarDocument>(File.ReadAllText(path), Format)
                ?? throw new InvalidDataException($"{path}: $: the file holds null; expected {{\"tests\": {{…}}}}");
            foreach (var (test, bar) in document.Tests)
            {
                if (Problem(bar) is { } problem)
                {
                    throw new InvalidDataException($"{path}: $.tests['{test}']{problem}");
                }
            }

            foreach (var (algorithm, measures) in document.Exports ?? new Dictionary<string, IReadOnlyDictionary<string, ExportBar>>())
            {
                foreach (var (measure, bar) in measures)
                {
                    if (bar.Unit is not ("s" or "ms" or "MB/s") || bar.Value < 0 || !double.IsFinite(bar.Value) || string.IsNullOrWhiteSpace(bar.Machine))
                    {
                        throw new InvalidDataException($"{path}: $.exports['{algorithm}']['{measure}']: unit must be s, ms or MB/s, value a finite number of at least 0, and machine named");
                    }
                }
            }

            if (document.Calibration is { } calibration && (calibration.CpuMs.Count == 0 || calibration.CpuMs.Any(v => v <= 0 || !double.IsFinite(v))))
            {
                throw new InvalidDataException($"{path}: $.calibration.cpu_ms: must hold at least one finite value greater than 0");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    /// <summary>Writes the bars (atomically: a temporary file moved into place).</summary>
    public static void Write(string path, BarDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sorted = document with
        {
            Tests = document.Tests.OrderBy(b => b.Key, StringComparer.Ordinal).ToDictionary(b => b.Key, b => b.Value),
            Exports = document.Exports?.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, ExportBar>)e.Value.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value)),
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(sorted, Format) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>What is wrong with a bar, as a JSON path suffix and reason; <see langword="null"/> when nothing is.</summary>
    private static string? Problem(Bar bar)
    {
        if (bar.SuccessRate is < 0 or > 1 || bar.P50Ms < 0 || bar.P95Ms < 0 || bar.P99Ms < 0 || bar.ThroughputFloor < 0)
        {
            return ": success_rate must be 0..1 and every other value at least 0";
        }

        if (bar.Noise is { } noise && (noise.Latency < 0 || noise.Throughput < 0 || noise.Runs < 2 || !double.IsFinite(noise.Latency)))
        {
            return ".noise: latency and throughput must be at least 0, measured over at least 2 runs";
        }

        if (bar.Reference is not { } reference)
        {
            return null;
        }

        static bool Bad(IReadOnlyList<double> values) => values.Count == 0 || values.Any(v => v < 0 || !double.IsFinite(v));
        return Bad(reference.LatencyMs) ? ".reference.latency_ms: must hold at least one finite value of at least 0"
            : reference.Throughput is { } throughput && Bad(throughput) ? ".reference.throughput: must hold at least one finite value of at least 0"
            : reference.Trials < 1 || reference.Calls < 1 ? ".reference: trials and calls must be at least 1"
            : string.IsNullOrWhiteSpace(reference.Machine) ? ".reference.machine: must name the machine that measured the sample"
            : null;
    }
}
