namespace TestBench.Harness.Racetrack;

/// <summary>Where a Racetrack's Lifecycle API and Pub are, and the token they take (<c>X-Racetrack-Auth</c>).</summary>
/// <param name="LifecycleAddress">Lifecycle's address, e.g. <c>https://racetrack.example.com/lifecycle/</c>.</param>
/// <param name="AuthToken">A secret: never logged (<see cref="ToString"/> leaves it out).</param>
/// <param name="Pub">Pub's address (ending in <c>/pub/</c>); <see langword="null"/>: <c>pub/</c> under Lifecycle's, as the embedded Racetrack serves it.</param>
public sealed record RacetrackConnection(Uri LifecycleAddress, string AuthToken, Uri? Pub = null)
{
    /// <summary>Pub's address, ending in <c>/</c>.</summary>
    public Uri PubAddress => Pub is { } pub ? new Uri(pub.ToString().TrimEnd('/') + "/") : new Uri(LifecycleAddress, "pub/");

    public override string ToString() => $"Racetrack at {LifecycleAddress}";
}
