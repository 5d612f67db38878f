using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TestBench.Harness.Resilience;

/// <summary>
/// The HTTP path the harness's platform clients share for everything but benchmark calls: each request built afresh
/// per attempt, a bounded Polly pipeline (jittered exponential back-off, <c>Retry-After</c> honoured, a timeout per
/// attempt) that retries only what is safe to send again (<see cref="Replay"/>), and a transport failure that survives
/// the retries turned into a <see cref="TargetFaultException"/> naming the server, its address, the request, what
/// happened and what was tried.
/// </summary>
public sealed class PlatformHttp(HttpClient http, TargetEndpoint endpoint, TimeProvider time, RetryLimits? limits = null)
{
    /// <summary>The most a reply body is buffered: larger ones are refused. <value>64 MiB.</value></summary>
    public const long MaxBufferedReply = 64L * 1024 * 1024;

    private readonly RetryLimits limits = limits ?? RetryLimits.Default;

    public TargetEndpoint Endpoint => endpoint;

    public RetryLimits Limits => limits;

    /// <summary>An <see cref="HttpClient"/> as these requests want it: no overall timeout (each attempt has its own) and
    /// replies buffered up to <see cref="MaxBufferedReply"/>.</summary>
    public static HttpClient CreateClient(Uri baseAddress, HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBufferedReply,
        };

    /// <summary>Sends the request <paramref name="createRequest"/> builds, again when <paramref name="replay"/> allows and
    /// the failure is transient. The answer may still be an error status: the caller words that in its platform's terms.</summary>
    /// <exception cref="TargetFaultException">No answer came (refused, dropped, hung) after the retries.</exception>
    public async Task<SentRequest> SendAsync(Func<HttpRequestMessage> createRequest, Replay replay, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        var started = time.GetTimestamp();
        var attempts = 0;
        var timeouts = 0;
        string request = "a request";
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = limits.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = limits.FirstDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException
                    ? replay == Replay.Safe && timeouts++ < limits.TimeoutRetries
                    : ShouldRetry(args.Outcome, replay)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta is { } wait && wait <= limits.LongestRetryAfter ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(limits.AttemptTimeout)
            .Build();
        try
        {
            var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var message = createRequest();
                    request = Describe(message);
                    return await http.SendAsync(message, completion, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return new SentRequest(response, request, new Attempts(attempts, time.GetElapsedTime(started)));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && TransportFailure.Of(e, limits.AttemptTimeout) is { } failure)
        {
            throw new TargetFaultException(endpoint, request, failure.Kind, failure.What, new Attempts(attempts, time.GetElapsedTime(started)), e);
        }
    }

    /// <summary>Sends as <see cref="SendAsync"/> does and reads a successful answer as JSON, checked field by field. An
    /// error status becomes the exception <paramref name="refusal"/> makes of the sentence (<c>GET /api/v1/job on the
    /// racetrack target at … answered HTTP 401: &lt;the platform's words&gt; (tried once (0.0 s))</c>) and the status.</summary>
    /// <param name="createRequest">Builds the request, afresh for every attempt.</param>
    /// <param name="replay">What may be sent again.</param>
    /// <param name="errorFields">The fields of the platform's error body that hold its words, e.g. <c>error</c>.</param>
    /// <param name="refusal">The platform's exception for an error status.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TargetFaultException">No answer came, or the answer is not JSON.</exception>
    public async Task<JsonReply> SendForJsonAsync(Func<HttpRequestMessage> createRequest, Replay replay, IReadOnlyList<string> errorFields, Func<string, int, Exception> refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        using var sent = await SendAsync(createRequest, replay, cancellationToken).ConfigureAwait(false);
        if (!sent.Response.IsSuccessStatusCode)
        {
            var (text, length) = await ReplyContent.ReadHeadAsync(sent.Response, cancellationToken).ConfigureAwait(false);
            var status = (int)sent.Response.StatusCode;
            throw refusal($"{sent.Request} on {endpoint} answered HTTP {status}: {ReplyContent.ErrorWords(text, length, errorFields)} ({sent.Attempts})", status);
        }

        return new JsonReply(await ReplyContent.ReadJsonAsync(sent, endpoint, cancellationToken).ConfigureAwait(false), endpoint, sent);
    }

    /// <summary><c>POST /api/v1/deploy</c>: the method and the path, never the query (it could carry a credential).</summary>
    public string Describe(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(http.BaseAddress ?? endpoint.Address, request.RequestUri!);
        return $"{request.Method.Method} {address.AbsolutePath}";
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, Replay replay)
    {
        if (replay == Replay.Never)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return TransportFailure.Of(exception, TimeSpan.Zero) is { Kind: not FaultKind.BadReply } failure && (replay == Replay.Safe || failure.NeverSent);
        }

        var status = outcome.Result!.StatusCode;
        return status == HttpStatusCode.TooManyRequests || (replay == Replay.Safe && (int)status >= 500);
    }
}

/// <summary>An answer and what it took to get: <see cref="Request"/> names it (<c>GET /api/v1/deploy/7</c>) for messages.</summary>
public sealed record SentRequest(HttpResponseMessage Response, string Request, Attempts Attempts) : IDisposable
{
    public void Dispose() => Response.Dispose();
}
