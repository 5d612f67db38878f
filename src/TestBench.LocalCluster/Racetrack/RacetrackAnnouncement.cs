using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>The one JSON line <c>racetrack --announce json</c> prints once it listens: how <see cref="RacetrackProcess"/>
/// learns where the Racetrack it started is and its token.</summary>
public sealed record RacetrackAnnouncement
{
    private static readonly JsonSerializerOptions Format = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonRequired]
    public required Uri Address { get; init; }

    [JsonRequired]
    public required string AuthToken { get; init; }

    [JsonRequired]
    public required bool Optimized { get; init; }

    [JsonRequired]
    public required bool Instrumented { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Format);

    /// <summary>Reads an announcement; throws <see cref="FormatException"/> saying what is wrong (never echoing the line, which holds the token).</summary>
    public static RacetrackAnnouncement Parse(string line)
    {
        RacetrackAnnouncement? announcement;
        try
        {
            announcement = JsonSerializer.Deserialize<RacetrackAnnouncement>(line, Format);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the Racetrack's announcement is not valid at {e.Path}", e);
        }

        return announcement is { Address: { IsAbsoluteUri: true, IsLoopback: true }, AuthToken.Length: > 0 }
            ? announcement
            : throw new FormatException("the Racetrack's announcement has no loopback address or no token");
    }
}
