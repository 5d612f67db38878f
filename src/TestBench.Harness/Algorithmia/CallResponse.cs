using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// The answer to one algorithm call, with what the client measured. The body is kept as the bytes that arrived and
/// parsed into a DOM only when asked for (a load test reads the status of every answer, the result of one), so
/// judging success costs a forward-only scan and no allocation.
/// </summary>
public sealed class CallResponse
{
    private readonly ReadOnlyMemory<byte> content;
    private JsonNode? body;
    private bool parsed;

    /// <param name="status">The HTTP status, 0 when no answer came.</param>
    /// <param name="content">The body's bytes as they arrived.</param>
    /// <param name="wallSeconds">Seconds from sending the request until the whole answer was read.</param>
    public CallResponse(int status, ReadOnlyMemory<byte> content, double wallSeconds)
    {
        Status = status;
        this.content = content;
        WallSeconds = wallSeconds;
        Succeeded = status is >= 200 and < 300 && IsJsonWithoutError(content.Span);
    }

    /// <summary>The HTTP status, 0 when no answer came.</summary>
    public int Status { get; }

    /// <summary>Seconds from sending the request until the whole answer was read.</summary>
    public double WallSeconds { get; }

    /// <summary>Bytes of the answer body.</summary>
    public long ResponseBytes => content.Length;

    /// <summary>A 2xx answer that is empty or JSON without a top-level <c>error</c>.</summary>
    public bool Succeeded { get; }

    /// <summary>The parsed body: <c>{result, metadata}</c> or <c>{error}</c>; an answer that is not JSON reads as an error.</summary>
    public JsonNode? Body
    {
        get
        {
            if (!parsed)
            {
                body = Parse(Status, content);
                parsed = true;
            }

            return body;
        }
    }

    /// <summary>The algorithm's or the platform's error message, or <see langword="null"/> on success.</summary>
    public string? ErrorMessage =>
        Succeeded ? null : Body?["error"] switch
        {
            JsonObject error => error["message"]?.ToString() ?? error.ToJsonString(),
            JsonValue text => text.ToString(),
            _ => $"HTTP {Status}: {Body?.ToJsonString() ?? "(no body)"}",
        };

    /// <summary><c>metadata.duration</c>: seconds the platform says the algorithm ran.</summary>
    public double? PlatformSeconds => Body?["metadata"]?["duration"]?.GetValue<double>();

    /// <summary><c>metadata.content_type</c>.</summary>
    public string? ContentType => Body?["metadata"]?["content_type"]?.GetValue<string>();

    /// <summary>A call that got no answer: status 0 and an error body in the platform's shape.</summary>
    public static CallResponse NoAnswer(string message, string errorType, double wallSeconds)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["error_type"] = errorType } };
        return new CallResponse(0, Encoding.UTF8.GetBytes(error.ToJsonString()), wallSeconds);
    }

    private static JsonNode? Parse(int status, ReadOnlyMemory<byte> content)
    {
        if (content.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(content.Span);
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(content.Span[..Math.Min(content.Length, 300)]);
            return new JsonObject { ["error"] = new JsonObject { ["message"] = $"HTTP {status}, not JSON: {text}" } };
        }
    }

    private static bool IsJsonWithoutError(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return !reader.Read();
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    return false;
                }

                reader.Read();
                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
