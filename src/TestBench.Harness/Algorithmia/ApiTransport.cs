using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// The HTTP plumbing every API area shares: the authenticated <see cref="HttpClient"/>, the one Polly pipeline for
/// transient failures, typed replies read with the source-generated contract, and error answers turned into
/// <see cref="AlgorithmiaApiException"/> (cluster, route, status, platform code and message; never the key).
/// </summary>
internal sealed class ApiTransport(HttpClient http, ClusterConnection connection, TimeProvider time)
{
    private readonly ResiliencePipeline<HttpResponseMessage> transient = TransientFailures(time);

    public ClusterConnection Connection => connection;

    /// <summary>Sends a request built afresh for every attempt (a request message cannot be sent twice).</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        await transient.ExecuteAsync(
            async token =>
            {
                using var request = createRequest();
                return await http.SendAsync(request, completion, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Sends once, without retries: for bodies that cannot be replayed.</summary>
    public Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        http.SendAsync(request, cancellationToken);

    public async Task<T> GetAsync<T>(string route, JsonTypeInfo<T> reply, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, route), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, reply, cancellationToken).ConfigureAwait(false);
    }

    public async Task<HttpResponseMessage> PostAsync<TRequest>(string route, TRequest body, JsonTypeInfo<TRequest> request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body, request) }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>The reply as <typeparamref name="T"/>, checked against its record: a missing or mistyped field names the route and the field.</summary>
    public async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> reply, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, reply, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("the reply is JSON null", "$", null, null);
            }
        }
        catch (JsonException e)
        {
            throw Unexpected(response, $"the reply is not a valid {typeof(T).Name}: {e.Message}{(e.Path is { Length: > 1 } path ? $" (at {path})" : "")}");
        }
    }

    public async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
        throw new AlgorithmiaApiException(connection.Name, request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode, code, message);
    }

    /// <summary>A successful answer the harness cannot use, e.g. a reply without a field it needs.</summary>
    public AlgorithmiaApiException Unexpected(HttpResponseMessage response, string problem)
    {
        var request = response.RequestMessage!;
        return new AlgorithmiaApiException(connection.Name, request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode, null, problem);
    }

    public static MediaTypeHeaderValue OctetStream { get; } = new("application/octet-stream");

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
}
