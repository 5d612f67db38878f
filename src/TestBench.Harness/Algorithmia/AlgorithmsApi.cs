using System.Net;
using TestBench.Harness.Algorithmia.Replies;

namespace TestBench.Harness.Algorithmia;

/// <summary>The algorithm management API (spec §2): algorithms, builds and published versions.</summary>
public sealed class AlgorithmsApi
{
    private readonly ApiTransport api;

    internal AlgorithmsApi(ApiTransport api) => this.api = api;

    /// <summary>The algorithm object, or <see langword="null"/> when it does not exist.</summary>
    public async Task<AlgorithmReply?> GetAsync(string owner, string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/algorithms/{owner}/{name}"), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await api.ReadAsync(response, AlgorithmiaJson.Default.AlgorithmReply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an algorithm. If a retried create finds it already made (1002), that is success.</summary>
    public async Task<AlgorithmReply> CreateAsync(string owner, CreateAlgorithmRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var response = await api.PostAsync($"v1/algorithms/{owner}", body, AlgorithmiaJson.Default.CreateAlgorithmRequest, cancellationToken).ConfigureAwait(false);
            return await api.ReadAsync(response, AlgorithmiaJson.Default.AlgorithmReply, cancellationToken).ConfigureAwait(false);
        }
        catch (AlgorithmiaApiException e) when (e.Code == 1002 || e.Status == HttpStatusCode.Conflict)
        {
            var existing = await GetAsync(owner, body.Name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw;
            }

            return existing;
        }
    }

    /// <summary>Deletes an algorithm; a missing one is fine.</summary>
    public async Task DeleteAsync(string owner, string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"v1/algorithms/{owner}/{name}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest builds, newest first.</summary>
    public async Task<IReadOnlyList<BuildReply>> BuildsAsync(string owner, string name, CancellationToken cancellationToken) =>
        (await api.GetAsync($"v1/algorithms/{owner}/{name}/builds?limit=20", AlgorithmiaJson.Default.BuildPage, cancellationToken).ConfigureAwait(false)).Results;

    /// <summary>A finished build's log.</summary>
    public async Task<string> BuildLogAsync(string owner, string name, string buildId, CancellationToken cancellationToken) =>
        (await api.GetAsync($"v1/algorithms/{owner}/{name}/builds/{buildId}/logs", AlgorithmiaJson.Default.BuildLog, cancellationToken).ConfigureAwait(false)).Logs;

    /// <summary>Publishes the newest build; "Version already published" (1007) counts as done.</summary>
    public async Task PublishAsync(string owner, string name, PublishRequest body, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await api.PostAsync($"v1/algorithms/{owner}/{name}/versions", body, AlgorithmiaJson.Default.PublishRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (AlgorithmiaApiException e) when (e.Code == 1007 || e.ServerMessage.Contains("Version already published", StringComparison.Ordinal))
        {
        }
    }
}
