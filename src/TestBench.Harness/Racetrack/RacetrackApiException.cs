namespace TestBench.Harness.Racetrack;

/// <summary>A Racetrack route answered an error; the message names the route and carries Racetrack's words.</summary>
public sealed class RacetrackApiException(string message, int status) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;
}
