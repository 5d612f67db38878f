using System.Text;
using System.Text.Json;

namespace TestBench.LocalCluster.Runtime;

/// <summary>The three kinds of input an algorithm call can carry, as the pipe protocol names them.</summary>
public enum ContentKind
{
    Text,
    Json,
    Binary,
}

/// <summary>One call's input: text, a JSON value or raw bytes.</summary>
public sealed record AlgorithmInput
{
    private AlgorithmInput(ContentKind kind, string? text, JsonElement json, byte[]? bytes)
    {
        Kind = kind;
        Text = text;
        Json = json;
        Bytes = bytes;
    }

    public ContentKind Kind { get; }

    public string? Text { get; }

    public JsonElement Json { get; }

    public byte[]? Bytes { get; }

    public static AlgorithmInput FromText(string text) => new(ContentKind.Text, text, default, null);

    public static AlgorithmInput FromJson(JsonElement json) => new(ContentKind.Json, null, json.Clone(), null);

    public static AlgorithmInput FromBytes(byte[] bytes) => new(ContentKind.Binary, null, default, bytes);

    /// <summary>Parses JSON text; throws <see cref="JsonException"/> for malformed input.</summary>
    public static AlgorithmInput ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>The request line the runner reads: <c>{"content_type":"…","data":…}</c>, compact, no newline.</summary>
    public string ToRequestLine()
    {
        var bytes = ToRequestBytes();
        return Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
    }

    /// <summary>The request line as UTF-8, ending in a newline: what is written to the runner's stdin.</summary>
    public byte[] ToRequestBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("content_type", Kind.ToString().ToLowerInvariant());
            writer.WritePropertyName("data");
            switch (Kind)
            {
                case ContentKind.Text:
                    writer.WriteStringValue(Text);
                    break;
                case ContentKind.Json:
                    Json.WriteTo(writer);
                    break;
                default:
                    writer.WriteBase64StringValue(Bytes);
                    break;
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
