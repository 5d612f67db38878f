namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Where an algorithm's source repository lives on a cluster with the internal SCM. The platform names no repository
/// in its algorithm objects (api-docs, "The algorithm object": <c>source</c> holds only <c>scm</c> for the internal
/// SCM), so the address is derived from the API address as the original tool does (algorithmia-ratchet,
/// <c>src/algorithm_creation.py</c>): <c>api.&lt;domain&gt;</c> serves git at <c>git.&lt;domain&gt;</c>. Any other
/// host (an IP address, a gateway, the embedded cluster) serves <c>/git/…</c> itself.
/// </summary>
public static class GitRemote
{
    /// <summary>The repository of <paramref name="owner"/>/<paramref name="algorithm"/> on the cluster at <paramref name="apiAddress"/>.</summary>
    public static Uri For(Uri apiAddress, string owner, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(apiAddress);
        var host = apiAddress.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) ? "git." + apiAddress.Host[4..] : apiAddress.Host;
        var port = apiAddress.IsDefaultPort ? -1 : apiAddress.Port;
        return new UriBuilder(apiAddress.Scheme, host, port, $"git/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(algorithm)}.git").Uri;
    }
}
