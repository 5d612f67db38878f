using TestBench.Harness.Algorithmia.Replies;

namespace TestBench.Harness.Algorithmia;

/// <summary>The web API for algorithm environments (spec §5.1; admin key), on the cluster's own host rather than <c>api.</c>.</summary>
public sealed class EnvironmentsApi
{
    private readonly ApiTransport api;

    internal EnvironmentsApi(ApiTransport api) => this.api = api;

    /// <summary>The environments installed on the cluster.</summary>
    public Task<IReadOnlyList<EnvironmentReply>> InstalledAsync(CancellationToken cancellationToken) => ListAsync("current", cancellationToken);

    /// <summary>The environments the cluster can sync from its master.</summary>
    public Task<IReadOnlyList<EnvironmentReply>> AvailableAsync(CancellationToken cancellationToken) => ListAsync("available", cancellationToken);

    /// <summary>Starts an environment sync (expects 202).</summary>
    public async Task StartSyncAsync(string specificationId, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Route($"environment-specifications/{specificationId}/syncs")), cancellationToken).ConfigureAwait(false);
        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of a sync: <c>succeeded</c>, something containing <c>failed</c>, or still running.</summary>
    public async Task<string> SyncResultAsync(string specificationId, string environmentId, CancellationToken cancellationToken) =>
        (await api.GetAsync(Route($"environment-specifications/{specificationId}/syncs/{environmentId}"), AlgorithmiaJson.Default.SyncReply, cancellationToken).ConfigureAwait(false)).SyncResult;

    private Task<IReadOnlyList<EnvironmentReply>> ListAsync(string which, CancellationToken cancellationToken) =>
        api.GetAsync(Route($"environments/{which}"), AlgorithmiaJson.Default.IReadOnlyListEnvironmentReply, cancellationToken);

    private string Route(string route)
    {
        // The web API lives on the cluster's own host, not the api. one (https://api.X → https://X).
        var address = api.Connection.Address;
        var host = address.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) ? address.Host[4..] : address.Host;
        return new UriBuilder(address) { Host = host, Path = "/webapi/v1/algorithm-environments/" + route }.Uri.ToString();
    }
}
