using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// A typed client for the platform API (spec: algorithmia-api.md): data, algorithms, builds, versions,
/// calls and the environment web API. Transient failures (5xx, 429, dropped connections) are retried by one
/// Polly pipeline with bounded attempts; errors come back as <see cref="AlgorithmiaApiException"/> naming the
/// cluster, route, status, platform code and message, never the key.
/// </summary>
public sealed class AlgorithmiaClient : IDisposable
{
    private readonly HttpClient http;
    private readonly HttpMessageInvoker calls;
    private readonly string authorization;
    private readonly DeadlinePool deadlines = new();
    private readonly ResiliencePipeline<HttpResponseMessage> transient;

    public AlgorithmiaClient(ClusterConnection connection, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        var handler = CreateHandler(connection);
        http = new HttpClient(handler, disposeHandler: true) { BaseAddress = connection.Address, Timeout = Timeout.InfiniteTimeSpan };
        // Algorithm calls skip HttpClient's per-request layer (its linked cancellation source); same connection pool.
        calls = new HttpMessageInvoker(handler, disposeHandler: false);
        http.DefaultRequestHeaders.Authorization = connection.BasicUser is { } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{connection.ApiKey}")))
            : new AuthenticationHeaderValue("Simple", connection.ApiKey);
        authorization = http.DefaultRequestHeaders.Authorization.ToString();
        transient = TransientFailures(time ?? TimeProvider.System);
    }

    public ClusterConnection Connection { get; }

    /// <summary>The key owner's name: the first folder of the root data listing (how the platform's clients do it).</summary>
    public async Task<string> UsernameAsync(CancellationToken cancellationToken)
    {
        var root = await GetJsonAsync("v1/data/", cancellationToken).ConfigureAwait(false);
        return root?["folders"]?[0]?["name"]?.GetValue<string>()
            ?? throw new AlgorithmiaApiException(Connection.Name, "GET", "/v1/data/", HttpStatusCode.OK, null, "the root listing names no user");
    }

    // ---- data -------------------------------------------------------------------------------------------

    /// <summary>The size of a file, or <see langword="null"/> when there is none (HEAD).</summary>
    public async Task<long?> FileSizeAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, DataRoute(uri)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Data-Type", out var kind) && kind.First() != "file" ? null : response.Content.Headers.ContentLength ?? 0;
    }

    /// <summary>Whether a data folder exists (GET, as the Python client does).</summary>
    public async Task<bool> FolderExistsAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, DataRoute(uri)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Creates <c>parent/name</c>; an existing folder is fine.</summary>
    public async Task CreateFolderAsync(string parentUri, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, DataRoute(parentUri))
        {
            Content = new StringContent(new JsonObject { ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"),
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict || (response.StatusCode == HttpStatusCode.BadRequest && await FolderExistsAsync($"{parentUri.TrimEnd('/')}/{name}", cancellationToken).ConfigureAwait(false)))
        {
            return;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a streamed download; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string uri, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, DataRoute(uri)), cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>Streams <paramref name="content"/> into a file. Not retried here: a consumed stream cannot be replayed.</summary>
    public async Task UploadAsync(string uri, Stream content, long? length, CancellationToken cancellationToken)
    {
        using var body = new StreamContent(content, 81920);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Put, DataRoute(uri)) { Content = body };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a folder and what it holds; a missing folder is fine.</summary>
    public async Task DeleteFolderAsync(string uri, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, DataRoute(uri) + "?force=true"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- algorithms -------------------------------------------------------------------------------------

    /// <summary>The algorithm object, or <see langword="null"/> when it does not exist.</summary>
    public async Task<JsonObject?> GetAlgorithmAsync(string owner, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/algorithms/{owner}/{name}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return (await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false))?.AsObject();
    }

    /// <summary>Creates an algorithm. If a retried create finds it already made (1002), that is success.</summary>
    public async Task<JsonObject> CreateAlgorithmAsync(string owner, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = body["name"]!.GetValue<string>();
        try
        {
            return (await PostJsonAsync($"v1/algorithms/{owner}", body, cancellationToken).ConfigureAwait(false))!.AsObject();
        }
        catch (AlgorithmiaApiException e) when (e.Code == 1002 || e.Status == HttpStatusCode.Conflict)
        {
            var existing = await GetAlgorithmAsync(owner, name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw;
            }

            return existing;
        }
    }

    /// <summary>Deletes an algorithm; a missing one is fine.</summary>
    public async Task DeleteAlgorithmAsync(string owner, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"v1/algorithms/{owner}/{name}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest builds, newest first.</summary>
    public async Task<JsonArray> BuildsAsync(string owner, string name, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"v1/algorithms/{owner}/{name}/builds?limit=20", cancellationToken).ConfigureAwait(false))?["results"]?.AsArray() ?? [];

    /// <summary>A finished build's log.</summary>
    public async Task<string> BuildLogAsync(string owner, string name, string buildId, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"v1/algorithms/{owner}/{name}/builds/{buildId}/logs", cancellationToken).ConfigureAwait(false))?["logs"]?.GetValue<string>() ?? "";

    /// <summary>Publishes the newest build; "Version already published" (1007) counts as done.</summary>
    public async Task PublishAsync(string owner, string name, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            await PostJsonAsync($"v1/algorithms/{owner}/{name}/versions", body, cancellationToken).ConfigureAwait(false);
        }
        catch (AlgorithmiaApiException e) when (e.Code == 1007 || e.ServerMessage.Contains("Version already published", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>Renders a call once, for <see cref="CallAsync(PreparedCall, CancellationToken)"/> to make many times.</summary>
    /// <param name="owner">The algorithm's owner.</param>
    /// <param name="name">The algorithm's name.</param>
    /// <param name="version">A version or commit hash; <see langword="null"/> for the latest published version.</param>
    /// <param name="payload">The input: a JSON string goes as text, anything else as JSON.</param>
    /// <param name="timeoutSeconds">Seconds the server is given (<c>?timeout=</c>).</param>
    public PreparedCall Prepare(string owner, string name, string? version, JsonNode? payload, int timeoutSeconds)
    {
        var address = new Uri(Connection.Address, $"v1/algo/{owner}/{name}{(version is null ? "" : "/" + version)}?timeout={timeoutSeconds}");
        return payload is JsonValue value && value.TryGetValue<string>(out var text)
            ? new PreparedCall(address, Encoding.UTF8.GetBytes(text), new MediaTypeHeaderValue("text/plain", "utf-8"), timeoutSeconds)
            : new PreparedCall(address, Encoding.UTF8.GetBytes(payload?.ToJsonString() ?? "null"), new MediaTypeHeaderValue("application/json", "utf-8"), timeoutSeconds);
    }

    /// <summary>Calls an algorithm once (see <see cref="Prepare"/> for the parameters).</summary>
    public Task<CallResponse> CallAsync(string owner, string name, string? version, JsonNode? payload, int timeoutSeconds, CancellationToken cancellationToken) =>
        CallAsync(Prepare(owner, name, version, payload, timeoutSeconds), cancellationToken);

    /// <summary>
    /// Makes a prepared call once, without retries (a benchmark measures what happened). The server gets the
    /// timeout as <c>?timeout=</c>; the client gives up 10 s after it, so the server's answer wins. The request goes
    /// straight to the connection pool (no <see cref="HttpClient"/> layer), the body bytes are shared, the deadline's
    /// cancellation source is pooled, and the answer is not parsed here: this is the load generator's per-call path.
    /// </summary>
    public async Task<CallResponse> CallAsync(PreparedCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var content = new ByteArrayContent(call.Body);
        content.Headers.ContentType = call.ContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Address) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var deadline = deadlines.Start(call.ClientDeadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await calls.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return new CallResponse((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResponse.NoAnswer($"no answer within the client deadline of {call.ClientDeadline.TotalSeconds:0} s", "TimeoutError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    // ---- environments (web API, admin key) ---------------------------------------------------------------

    /// <summary>GET the web API's <c>environments/current</c> or <c>environments/available</c> list.</summary>
    public async Task<JsonArray> EnvironmentsAsync(string which, CancellationToken cancellationToken) =>
        (await GetJsonAsync(WebApi($"environments/{which}"), cancellationToken).ConfigureAwait(false))?.AsArray() ?? [];

    /// <summary>Starts an environment sync (expects 202).</summary>
    public async Task StartSyncAsync(string specificationId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, WebApi($"environment-specifications/{specificationId}/syncs")), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of a sync: <c>succeeded</c>, something containing <c>failed</c>, or still running.</summary>
    public async Task<string> SyncResultAsync(string specificationId, string environmentId, CancellationToken cancellationToken) =>
        (await GetJsonAsync(WebApi($"environment-specifications/{specificationId}/syncs/{environmentId}"), cancellationToken).ConfigureAwait(false))?["sync_result"]?.ToString() ?? "";

    public void Dispose()
    {
        calls.Dispose();
        http.Dispose();
        deadlines.Dispose();
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    /// <summary>The route of a data URI (<c>data://a/b</c> → <c>v1/data/a/b</c>), each segment escaped.</summary>
    public static string DataRoute(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = uri.StartsWith("data://", StringComparison.Ordinal) ? uri["data://".Length..] : uri.TrimStart('/');
        return "v1/data/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    private string WebApi(string route)
    {
        // The web API lives on the cluster's own host, not the api. one (https://api.X → https://X).
        var address = Connection.Address;
        var host = address.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) ? address.Host[4..] : address.Host;
        return new UriBuilder(address) { Host = host, Path = "/webapi/v1/algorithm-environments/" + route }.Uri.ToString();
    }

    private async Task<JsonNode?> GetJsonAsync(string route, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, route), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonNode?> PostJsonAsync(string route, JsonNode body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (code, message) = ErrorBody.Parse(body);
        if (message.Length == 0 && response.Headers.TryGetValues("X-Error-Message", out var header))
        {
            message = header.First();
        }

        var request = response.RequestMessage!;
        throw new AlgorithmiaApiException(Connection.Name, request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode, code, message);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        await transient.ExecuteAsync(
            async token =>
            {
                using var request = createRequest();
                return await http.SendAsync(request, completion, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The one pipeline for transient failures: up to 4 retries with jittered exponential back-off (honouring
    /// <c>Retry-After</c> on 429) for 5xx, 429, dropped connections and per-attempt timeouts; at most 2 minutes per attempt.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> TransientFailures(TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(300),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<Polly.Timeout.TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta is { } wait && wait < TimeSpan.FromSeconds(30) ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromMinutes(2))
            .Build();

    private static SocketsHttpHandler CreateHandler(ClusterConnection connection)
    {
        // The default proxy honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for large exports run through a proxy.
        var handler = new SocketsHttpHandler { UseProxy = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (connection.CaCertificateFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }

        return handler;
    }
}
