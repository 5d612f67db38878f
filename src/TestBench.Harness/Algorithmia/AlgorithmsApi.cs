using System.Net;
using TestBench.Harness.Algorithmia.Replies;

namespace TestBench.Harness.Algorithmia;

/// <summary>The algorithm management API (spec §2): algorithms, builds and published versions.</summary>
public sealed class AlgorithmsApi
{
    /// <summary>Builds per page when looking for one commit's (the documented default page size).</summary>
    private const int BuildPageSize = 50;

    /// <summary>Pages looked through for one commit's build: its build is among the newest, so a few pages are plenty.</summary>
    private const int MaxBuildPages = 10;

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

    /// <summary>The newest builds, newest first: the first page (<c>limit=20</c>).</summary>
    public async Task<IReadOnlyList<BuildReply>> BuildsAsync(string owner, string name, CancellationToken cancellationToken) =>
        (await api.GetAsync($"v1/algorithms/{owner}/{name}/builds?limit=20", AlgorithmiaJson.Default.BuildPage, cancellationToken).ConfigureAwait(false)).Results;

    /// <summary>
    /// The newest build of <paramref name="commitSha"/>, following the list's <c>marker</c> pages (api-docs "Pagination")
    /// for at most <see cref="MaxBuildPages"/> pages; <see langword="null"/> when none of them has it.
    /// </summary>
    public async Task<BuildReply?> BuildOfAsync(string owner, string name, string commitSha, CancellationToken cancellationToken)
    {
        string? marker = null;
        for (var page = 0; page < MaxBuildPages; page++)
        {
            var route = $"v1/algorithms/{owner}/{name}/builds?limit={BuildPageSize}{(marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker))}";
            var builds = await api.GetAsync(route, AlgorithmiaJson.Default.BuildPage, cancellationToken).ConfigureAwait(false);
            if (builds.Results.FirstOrDefault(b => b.CommitSha == commitSha) is { } build)
            {
                return build;
            }

            if ((marker = builds.Marker) is null)
            {
                return null;
            }
        }

        return null;
    }

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
