using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// The answer to one algorithm call, with what the client measured. The body is kept as the bytes that arrived and
/// parsed into a DOM only when asked for (a load test reads the status of every answer, the result of one), so
/// judging success costs a forward-only scan and no allocation. Answers of destinations that send the bare result
/// (<see cref="BareResult"/>: Racetrack's <c>/perform</c>) read as the platform's <c>{result}</c> / <c>{error}</c> shape.
/// </summary>
public sealed class CallResponse
{
    private readonly ReadOnlyMemory<byte> content;
    private readonly bool bare;
    private JsonNode? body;
    private bool parsed;

    /// <param name="status">The HTTP status, 0 when no answer came.</param>
    /// <param name="content">The body's bytes as they arrived.</param>
    /// <param name="wallSeconds">Seconds from sending the request until the whole answer was read.</param>
    public CallResponse(int status, ReadOnlyMemory<byte> content, double wallSeconds)
        : this(status, content, wallSeconds, bare: false)
    {
    }

    private CallResponse(int status, ReadOnlyMemory<byte> content, double wallSeconds, bool bare)
    {
        Status = status;
        this.content = content;
        this.bare = bare;
        WallSeconds = wallSeconds;
        Succeeded = status is >= 200 and < 300 && (bare ? IsJson(content.Span) : IsJsonWithoutError(content.Span));
    }

    /// <summary>
    /// An answer whose 2xx body is the result itself (any JSON, an <c>error</c> key included) and whose error body is
    /// <c>{"error": message, "type": kind}</c>, as Racetrack's jobs answer.
    /// </summary>
    public static CallResponse BareResult(int status, ReadOnlyMemory<byte> content, double wallSeconds) => new(status, content, wallSeconds, bare: true);

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
                if (bare && body is not null)
                {
                    body = Succeeded ? new JsonObject { ["result"] = body } : PlatformError(body);
                }

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
    public static CallResponse NoAnswer(string message, string errorType, double wallSeconds) => Error(0, message, errorType, wallSeconds);

    /// <summary>
    /// A benchmark call that got no answer because of <paramref name="exception"/> (refused, reset, cut short), worded
    /// as every fault is: the server, its address, the request and what happened — not retried, it counts as an error.
    /// </summary>
    /// <returns><see langword="null"/> when <paramref name="exception"/> is no transport failure (the caller rethrows it).</returns>
    public static CallResponse? Unanswered(Resilience.TargetEndpoint endpoint, string request, Exception exception, double wallSeconds) =>
        Resilience.TransportFailure.Of(exception, TimeSpan.Zero) is { } failure
            ? NoAnswer($"{request} to {endpoint}: {failure.What} (a benchmark call: not retried)", failure.Kind == Resilience.FaultKind.Unreachable ? "ConnectionError" : "ConnectionDropped", wallSeconds)
            : null;

    /// <summary>A failed call whose answer the harness put together (e.g. from a Wallaroo task run's status and logs), in the platform's error shape.</summary>
    public static CallResponse Error(int status, string message, string errorType, double wallSeconds)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["error_type"] = errorType } };
        return new CallResponse(status, Encoding.UTF8.GetBytes(error.ToJsonString()), wallSeconds);
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

    /// <summary>A bare error in the platform's shape; a body already in it (an answer that was not JSON) stays.</summary>
    private JsonObject PlatformError(JsonNode error) => error is JsonObject { } shaped && shaped["error"] is JsonObject
        ? shaped
        : new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = $"HTTP {Status}: {(error is JsonObject racetrack && racetrack["error"] is { } message ? message.ToString() : error.ToJsonString())}",
                ["error_type"] = (error as JsonObject)?["type"]?.ToString(),
            },
        };

    private static bool IsJson(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
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
