using System.Net;
using System.Net.Http.Json;
using TestBench.Harness.Algorithmia.Replies;

namespace TestBench.Harness.Algorithmia;

/// <summary>The data API (spec §4): files and folders under <c>data://</c>, streamed both ways.</summary>
public sealed class DataApi
{
    private readonly ApiTransport api;

    internal DataApi(ApiTransport api) => this.api = api;

    /// <summary>The key owner's name: the first folder of the root data listing (how the platform's clients do it).</summary>
    public async Task<string> UsernameAsync(CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v1/data/"), cancellationToken).ConfigureAwait(false);
        var root = await api.ReadAsync(response, AlgorithmiaJson.Default.DataListing, cancellationToken).ConfigureAwait(false);
        return root.Folders is [var first, ..] ? first.Name : throw api.Unexpected(response, "the root listing names no user (no 'folders')");
    }

    /// <summary>The size of a file, or <see langword="null"/> when there is none (HEAD).</summary>
    public async Task<long?> FileSizeAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Route(uri)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Data-Type", out var kind) && kind.First() != "file" ? null : response.Content.Headers.ContentLength ?? 0;
    }

    /// <summary>Whether a data folder exists (GET, as the Python client does).</summary>
    public async Task<bool> FolderExistsAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Route(uri)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Creates <c>parent/name</c>; an existing folder is fine.</summary>
    public async Task CreateFolderAsync(string parentUri, string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Route(parentUri))
        {
            Content = JsonContent.Create(new CreateFolderRequest(name), AlgorithmiaJson.Default.CreateFolderRequest),
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict
            || (response.StatusCode == HttpStatusCode.BadRequest && await FolderExistsAsync($"{parentUri.TrimEnd('/')}/{name}", cancellationToken).ConfigureAwait(false)))
        {
            return;
        }

        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a streamed download; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string uri, CancellationToken cancellationToken)
    {
        var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Route(uri)), cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Streams <paramref name="content"/> into a file. Not retried here: a consumed stream cannot be replayed.</summary>
    public async Task UploadAsync(string uri, Stream content, long? length, CancellationToken cancellationToken)
    {
        using var body = new StreamContent(content, 81920);
        body.Headers.ContentType = ApiTransport.OctetStream;
        body.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Put, Route(uri)) { Content = body };
        using var response = await api.SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a small file from memory; retried like any other request, since the bytes can be sent again.</summary>
    public async Task UploadAsync(string uri, byte[] content, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, Route(uri))
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = ApiTransport.OctetStream } },
        }, cancellationToken).ConfigureAwait(false);
        await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a file; a missing one is fine.</summary>
    public async Task DeleteFileAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Route(uri)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a folder and what it holds; a missing folder is fine.</summary>
    public async Task DeleteFolderAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Route(uri) + "?force=true"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await api.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The route of a data URI (<c>data://a/b</c> → <c>v1/data/a/b</c>), each segment escaped.</summary>
    public static string Route(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = uri.StartsWith("data://", StringComparison.Ordinal) ? uri["data://".Length..] : uri.TrimStart('/');
        return "v1/data/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }
}
