using System.Text.Json.Nodes;

namespace TestBench.Harness.Algorithmia;

/// <summary>The answer to one algorithm call, with what the client measured.</summary>
public sealed record CallResponse
{
    /// <summary>The HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>The parsed body: <c>{result, metadata}</c> or <c>{error}</c>.</summary>
    public required JsonNode? Body { get; init; }

    /// <summary>Seconds from sending the request until the whole answer was read.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Bytes of the answer body.</summary>
    public required long ResponseBytes { get; init; }

    /// <summary>The algorithm's or the platform's error message, or <see langword="null"/> on success.</summary>
    public string? ErrorMessage =>
        Body?["error"] switch
        {
            JsonObject error => error["message"]?.ToString() ?? error.ToJsonString(),
            JsonValue text => text.ToString(),
            null when Status is >= 200 and < 300 => null,
            _ => $"HTTP {Status}: {Body?.ToJsonString() ?? "(no body)"}",
        };

    public bool Succeeded => ErrorMessage is null;

    /// <summary><c>metadata.duration</c>: seconds the platform says the algorithm ran.</summary>
    public double? PlatformSeconds => Body?["metadata"]?["duration"]?.GetValue<double>();

    /// <summary><c>metadata.content_type</c>.</summary>
    public string? ContentType => Body?["metadata"]?["content_type"]?.GetValue<string>();
}
