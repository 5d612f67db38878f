namespace TestBench.Harness.Racetrack;

/// <summary>Where a Racetrack's Lifecycle API is and the token it takes (<c>X-Racetrack-Auth</c>).</summary>
/// <param name="LifecycleAddress">Lifecycle's address, e.g. <c>https://racetrack.example.com/lifecycle/</c>.</param>
/// <param name="AuthToken">A secret: never logged (<see cref="ToString"/> leaves it out).</param>
public sealed record RacetrackConnection(Uri LifecycleAddress, string AuthToken)
{
    public override string ToString() => $"Racetrack at {LifecycleAddress}";
}
