using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// The HTTP plumbing every API area shares: the authenticated <see cref="HttpClient"/>, the one Polly pipeline for
/// transient failures, typed replies read with the source-generated contract, and error answers turned into
/// <see cref="AlgorithmiaApiException"/> (cluster, route, status, platform code and message; never the key).
/// </summary>
internal sealed class ApiTransport(HttpClient http, ClusterConnection connection, TimeProvider time, RetryLimits? limits = null)
{
    /// <summary>Management requests are idempotent or made so (an algorithm created twice answers "exists"), so every
    /// transient failure is retried: 4 times, at most 2 minutes an attempt (a large file's upload takes long).</summary>
    private readonly PlatformHttp platform = new(http, new TargetEndpoint($"{connection.Name} cluster", connection.Address), time, limits ?? new RetryLimits { AttemptTimeout = TimeSpan.FromMinutes(2) });

    public ClusterConnection Connection => connection;

    public TargetEndpoint Endpoint => platform.Endpoint;

    /// <summary>Sends a request built afresh for every attempt (a request message cannot be sent twice).</summary>
    /// <exception cref="TargetFaultException">No answer came after the retries.</exception>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var sent = await platform.SendAsync(createRequest, Replay.Safe, cancellationToken, completion).ConfigureAwait(false);
        sent.Response.RequestMessage?.Options.Set(AttemptsTaken, sent.Attempts);
        return sent.Response;
    }

    /// <summary>Sends once, without retries: for bodies that cannot be replayed.</summary>
    /// <exception cref="TargetFaultException">No answer came.</exception>
    public async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && TransportFailure.Of(e, Timeout.InfiniteTimeSpan) is { } failure)
        {
            throw new TargetFaultException(platform.Endpoint, platform.Describe(request), failure.Kind, failure.What, new Attempts(1, time.GetElapsedTime(started)), e);
        }
    }

    /// <summary>What getting an answer took, kept with its request for the message of an error answer.</summary>
    private static readonly HttpRequestOptionsKey<Attempts> AttemptsTaken = new("TestBench.Attempts");

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
            // The body is buffered: read it again to say whether it was JSON at all (a gateway's HTML page is not).
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var what = ReplyContent.DescribeIfNotJson(text) is { } notJson
                ? $"the reply is not JSON: {notJson}"
                : $"the reply is not a valid {typeof(T).Name}: {(e.Path is { Length: > 1 } path ? $"at '{path.TrimStart('$', '.')}', " : "")}{ReplyContent.ParserWords(e.Message)}";
            throw Unexpected(response, what);
        }
    }

    public async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var (body, length) = await ReplyContent.ReadHeadAsync(response, cancellationToken).ConfigureAwait(false);
        var (code, message) = ErrorBody.Parse(body, length);
        if (message.Length == 0 && response.Headers.TryGetValues("X-Error-Message", out var header))
        {
            message = header.First();
        }

        var request = response.RequestMessage!;
        throw new AlgorithmiaApiException(connection.Name, request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode, code, message, connection.Address, Tried(response));
    }

    /// <summary>A successful answer the harness cannot use, e.g. a reply without a field it needs.</summary>
    public AlgorithmiaApiException Unexpected(HttpResponseMessage response, string problem)
    {
        var request = response.RequestMessage!;
        return new AlgorithmiaApiException(connection.Name, request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode, null, problem, connection.Address, Tried(response));
    }

    private static Attempts? Tried(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(AttemptsTaken, out var attempts) == true ? attempts : null;

    public static MediaTypeHeaderValue OctetStream { get; } = new("application/octet-stream");
}
