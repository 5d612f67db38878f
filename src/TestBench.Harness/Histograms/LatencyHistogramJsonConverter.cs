using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.Harness.Histograms;

/// <summary>
/// A histogram in the results JSON: <c>{"unit":"us","significant_digits":3,"count","min","max","sum","buckets":[[value,count],…]}</c>,
/// only the buckets that hold calls, each by its lowest value — enough to rebuild it exactly and merge it with others.
/// </summary>
public sealed class LatencyHistogramJsonConverter : JsonConverter<LatencyHistogram>
{
    public override LatencyHistogram Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        try
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("is not an object");
            }

            var unit = Property(root, "unit").GetString();
            var digits = Property(root, "significant_digits").GetInt32();
            if (unit != "us" || digits != LatencyHistogram.SignificantDigits)
            {
                throw new FormatException($"is in '{unit}' with {digits} significant digits; expected 'us' with {LatencyHistogram.SignificantDigits}");
            }

            var buckets = Property(root, "buckets").EnumerateArray().Select(pair => pair.GetArrayLength() == 2
                ? (pair[0].GetInt64(), pair[1].GetInt64())
                : throw new FormatException($"bucket {pair.GetRawText()} is not a [value, count] pair")).ToList();
            var histogram = LatencyHistogram.Restore(buckets, Property(root, "min").GetInt64(), Property(root, "max").GetInt64(), Property(root, "sum").GetDouble());
            var count = Property(root, "count").GetInt64();
            return histogram.TotalCount == count ? histogram : throw new FormatException($"count {count} differs from the buckets' {histogram.TotalCount}");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new JsonException($"histogram: {e.Message}", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, LatencyHistogram value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("unit", "us");
        writer.WriteNumber("significant_digits", LatencyHistogram.SignificantDigits);
        writer.WriteNumber("count", value.TotalCount);
        writer.WriteNumber("min", value.Min);
        writer.WriteNumber("max", value.Max);
        writer.WriteNumber("sum", value.Sum);
        writer.WriteStartArray("buckets");
        foreach (var (bucket, count) in value.RecordedBuckets())
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(bucket);
            writer.WriteNumberValue(count);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new FormatException($"has no '{name}'");
}
