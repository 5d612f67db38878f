using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// The one JSON line a stand-in server with a single token (<c>racetrack</c>, <c>wallaroo</c>) prints with
/// <c>--announce json</c> once it listens: how <see cref="TokenServerProcess"/> learns where the server it started is,
/// its token and how it was built.
/// </summary>
public sealed record TokenServerAnnouncement
{
    private static readonly JsonSerializerOptions Format = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonRequired]
    public required Uri Address { get; init; }

    [JsonRequired]
    public required string Token { get; init; }

    [JsonRequired]
    public required bool Optimized { get; init; }

    [JsonRequired]
    public required bool Instrumented { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Format);

    /// <summary>Reads an announcement; throws <see cref="FormatException"/> saying what is wrong (never echoing the line, which holds the token).</summary>
    /// <param name="line">The line.</param>
    /// <param name="what">Whose announcement: "the embedded Racetrack".</param>
    public static TokenServerAnnouncement Parse(string line, string what)
    {
        TokenServerAnnouncement? announcement;
        try
        {
            announcement = JsonSerializer.Deserialize<TokenServerAnnouncement>(line, Format);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what}'s announcement is not valid at {e.Path}", e);
        }

        return announcement is { Address: { IsAbsoluteUri: true, IsLoopback: true }, Token.Length: > 0 }
            ? announcement
            : throw new FormatException($"{what}'s announcement has no loopback address or no token");
    }
}
