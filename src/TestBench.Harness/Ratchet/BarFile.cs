using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.Harness.Ratchet;

/// <summary>
/// <c>workflows/&lt;name&gt;.ratchet.json</c>: the verified bar of each test, by test name. A raised or first bar
/// is written beside it as <c>&lt;name&gt;.ratchet.received.json</c> (Verify's convention; git ignores it);
/// accepting is moving the received file over the verified one.
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

    public static string VerifiedPath(string workflowsDirectory, string workflow) => Path.Combine(workflowsDirectory, $"{workflow}.ratchet.json");

    public static string ReceivedPath(string workflowsDirectory, string workflow) => Path.Combine(workflowsDirectory, $"{workflow}.ratchet.received.json");

    /// <summary>The bars by test name; empty when there is no file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it, the JSON path and the reason.</exception>
    public static IReadOnlyDictionary<string, Bar> Read(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, Bar>();
        }

        try
        {
            var document = JsonSerializer.Deserialize<Document>(File.ReadAllText(path), Format)
                ?? throw new InvalidDataException($"{path}: $: the file holds null; expected {{\"tests\": {{…}}}}");
            foreach (var (test, bar) in document.Tests)
            {
                if (bar.SuccessRate is < 0 or > 1 || bar.P50Ms < 0 || bar.P95Ms < 0 || bar.P99Ms < 0 || bar.ThroughputFloor < 0)
                {
                    throw new InvalidDataException($"{path}: $.tests['{test}']: success_rate must be 0..1 and every other value at least 0");
                }
            }

            return document.Tests;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    /// <summary>Writes the bars (atomically: a temporary file moved into place).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Bar> bars)
    {
        var sorted = bars.OrderBy(b => b.Key, StringComparer.Ordinal).ToDictionary(b => b.Key, b => b.Value);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Document(sorted), Format) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Document(Dictionary<string, Bar> Tests);
}
