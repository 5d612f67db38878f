namespace TestBench.Harness.Wallaroo;

/// <summary>Where a Wallaroo API is (<c>{APIURL}</c>, routes under <c>v1/api/</c>) and the bearer token it takes.</summary>
/// <param name="ApiAddress">The API's address, e.g. <c>https://example.api.wallaroo.ai/</c>.</param>
/// <param name="Token">A secret: never logged (<see cref="ToString"/> leaves it out).</param>
public sealed record WallarooConnection(Uri ApiAddress, string Token)
{
    /// <summary>The workspace orchestrations are uploaded to and tasks run in: <value>1 by default</value> (the embedded
    /// service takes any).</summary>
    public long WorkspaceId { get; init; } = 1;

    public override string ToString() => $"Wallaroo at {ApiAddress}";
}
