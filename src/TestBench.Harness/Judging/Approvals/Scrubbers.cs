using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestBench.Harness.Judging.Approvals;

/// <summary>
/// Named steps that make a result deterministic before it is compared with a snapshot: ids, timestamps,
/// durations, temporary paths and export suffixes change on every run and are replaced by placeholders.
/// </summary>
public static partial class Scrubbers
{
    /// <summary>Applies every scrubber to a copy of <paramref name="node"/>.</summary>
    public static JsonNode? Scrub(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, IsVolatileNumber(p.Key, p.Value) ? JsonValue.Create("<number>") : Scrub(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Scrub).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(ScrubText(text)),
        _ => node?.DeepClone(),
    };

    /// <summary>Replaces GUIDs, ISO timestamps, <c>.algo/temp</c> file names and export suffixes in text.</summary>
    public static string ScrubText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Guid().Replace(text, "<guid>");
        text = Timestamp().Replace(text, "<timestamp>");
        text = TempFile().Replace(text, "data://.algo/temp/<temp>");
        return ExportSuffix().Replace(text, "_<suffix>");
    }

    // Numbers under names that measure time vary on every run.
    private static bool IsVolatileNumber(string name, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && TimeName().IsMatch(name);

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"data://\.algo/temp/[0-9a-f]{16,}(\.\w+)?")]
    private static partial Regex TempFile();

    [GeneratedRegex("_(?:[0-9a-f]{12}|r[0-9a-f]{8})(?![0-9A-Za-z])")]
    private static partial Regex ExportSuffix();

    [GeneratedRegex("duration|seconds|time|^min$|^max$|^average$|_ms$", RegexOptions.IgnoreCase)]
    private static partial Regex TimeName();
}
