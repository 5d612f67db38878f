namespace TestBench.Harness.Algorithmia;

/// <summary>Where a cluster is and the key to use. <see cref="ToString"/> never shows the key.</summary>
/// <param name="Name">What the cluster is called in messages: <c>source</c>, <c>destination</c>.</param>
/// <param name="Address">The API address without <c>/v1</c>, e.g. <c>https://api.example.com</c>.</param>
/// <param name="ApiKey">The API key (a secret).</param>
/// <param name="CaCertificateFile">A PEM file of an extra CA to trust for this cluster, or <see langword="null"/>.</param>
/// <param name="BasicUser">When set, credentials go as HTTP Basic <c>user:ApiKey</c> (an admin user name and
/// password, the other README variant) instead of <c>Simple &lt;key&gt;</c>.</param>
public sealed record ClusterConnection(string Name, Uri Address, string ApiKey, string? CaCertificateFile = null, string? BasicUser = null)
{
    public override string ToString() => $"{Name} cluster {Address} (key {SecretRedactor.Mask(ApiKey)})";
}
