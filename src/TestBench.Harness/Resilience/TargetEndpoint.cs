namespace TestBench.Harness.Resilience;

/// <summary>
/// A server the harness talks to, as failure messages name it: what it is (<c>racetrack target</c>, <c>destination
/// cluster</c>, <c>source cluster</c>) and its address. Never its key: credentials travel in headers, not here.
/// </summary>
/// <param name="Name">What it is called in messages, e.g. <c>racetrack target</c>.</param>
/// <param name="Address">Its base address.</param>
public sealed record TargetEndpoint(string Name, Uri Address)
{
    /// <summary><c>the racetrack target at http://127.0.0.1:41779/</c>, with any user information left out of the address.</summary>
    public override string ToString() => $"the {Name} at {Shown(Address)}";

    private static string Shown(Uri address) =>
        address.UserInfo.Length == 0 ? address.ToString() : new UriBuilder(address) { UserName = "", Password = "" }.Uri.ToString();
}
