namespace TestBench.Harness.Wallaroo;

/// <summary>Where a Wallaroo API is (<c>{APIURL}</c>, routes under <c>v1/api/</c>) and the bearer token it takes.</summary>
/// <param name="ApiAddress">The API's address, e.g. <c>https://example.api.wallaroo.ai/</c>.</param>
/// <param name="Token">A secret: never logged (<see cref="ToString"/> leaves it out).</param>
public sealed record WallarooConnection(Uri ApiAddress, string Token)
{
    public override string ToString() => $"Wallaroo at {ApiAddress}";
}
