using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// The one JSON line a cluster started with <c>--announce json</c> prints once it listens: where it is, its keys
/// and how it was built. It is how <see cref="LocalClusterProcess"/> learns about the cluster it started.
/// </summary>
public sealed record ClusterAnnouncement
{
    private static readonly JsonSerializerOptions Format = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonRequired]
    public required Uri Address { get; init; }

    [JsonRequired]
    public required IReadOnlyDictionary<string, string> UserKeys { get; init; }

    [JsonRequired]
    public required string AdminKey { get; init; }

    [JsonRequired]
    public required bool Optimized { get; init; }

    [JsonRequired]
    public required bool Instrumented { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Format);

    /// <summary>Reads an announcement; throws <see cref="FormatException"/> saying what is wrong (never echoing the line, which holds keys).</summary>
    public static ClusterAnnouncement Parse(string line)
    {
        ClusterAnnouncement? announcement;
        try
        {
            announcement = JsonSerializer.Deserialize<ClusterAnnouncement>(line, Format);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the cluster's announcement is not valid: {e.Path} {FirstSentence(e.Message)}", e);
        }

        if (announcement is null || !announcement.Address.IsAbsoluteUri || !announcement.Address.IsLoopback)
        {
            throw new FormatException("the cluster's announcement has no loopback address");
        }

        if (announcement.UserKeys.Count == 0 || announcement.UserKeys.Values.Any(string.IsNullOrEmpty) || string.IsNullOrEmpty(announcement.AdminKey))
        {
            throw new FormatException("the cluster's announcement lacks a user or admin key");
        }

        return announcement;
    }

    // System.Text.Json messages go on about the path and position; the path is given separately.
    private static string FirstSentence(string message) => message.Split(". ", 2)[0];
}
