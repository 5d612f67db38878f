using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Algorithm calls (spec §3): the load generator's per-call path. A call is rendered once (<see cref="Prepare"/>) and
/// made many times straight on the connection pool, without retries: a benchmark measures what happened.
/// </summary>
public sealed class CallsApi : IDisposable
{
    /// <summary>Bodies larger than this ask <c>Expect: 100-continue</c>; smaller ones go at once (no extra round trip).</summary>
    private const int ExpectContinueAbove = 1024 * 1024;

    private readonly HttpMessageInvoker invoker;
    private readonly Uri address;
    private readonly string authorization;
    private readonly DeadlinePool deadlines = new();
    private readonly Resilience.TargetEndpoint endpoint;

    /// <param name="handler">The connection pool, shared with the other areas and disposed by the client.</param>
    /// <param name="address">The API address.</param>
    /// <param name="authorization">The Authorization header's value.</param>
    /// <param name="endpoint">The cluster, as a failed call's message names it.</param>
    internal CallsApi(HttpMessageHandler handler, Uri address, string authorization, Resilience.TargetEndpoint endpoint)
    {
        this.endpoint = endpoint;
        // No HttpClient layer (its per-request linked cancellation source); the same connection pool.
        invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        this.address = address;
        this.authorization = authorization;
    }

    /// <summary>Renders a call once, for <see cref="CallAsync(PreparedCall, CancellationToken, string?)"/> to make many times.</summary>
    /// <param name="owner">The algorithm's owner.</param>
    /// <param name="name">The algorithm's name.</param>
    /// <param name="version">A version or commit hash; <see langword="null"/> for the latest published version.</param>
    /// <param name="payload">The input: a JSON string goes as text, anything else as JSON.</param>
    /// <param name="timeoutSeconds">Seconds the server is given (<c>?timeout=</c>).</param>
    /// <param name="output"><c>void</c> for a call the platform answers at once and runs in the background (<c>?output=void</c>).</param>
    public PreparedCall Prepare(string owner, string name, string? version, JsonNode? payload, int timeoutSeconds, string? output = null)
    {
        var route = new Uri(address, $"v1/algo/{owner}/{name}{(version is null ? "" : "/" + version)}?timeout={timeoutSeconds}{(output is null ? "" : "&output=" + output)}");
        return payload is JsonValue value && value.TryGetValue<string>(out var text)
            ? new PreparedCall(route, Encoding.UTF8.GetBytes(text), new MediaTypeHeaderValue("text/plain", "utf-8"), timeoutSeconds)
            : new PreparedCall(route, Encoding.UTF8.GetBytes(payload?.ToJsonString() ?? "null"), new MediaTypeHeaderValue("application/json", "utf-8"), timeoutSeconds);
    }

    /// <summary>Calls an algorithm once (see <see cref="Prepare"/> for the parameters).</summary>
    public Task<CallResponse> CallAsync(string owner, string name, string? version, JsonNode? payload, int timeoutSeconds, CancellationToken cancellationToken) =>
        CallAsync(Prepare(owner, name, version, payload, timeoutSeconds), cancellationToken);

    /// <summary>
    /// Makes a prepared call once. The server gets the timeout as <c>?timeout=</c>; the client gives up 10 s after it,
    /// so the server's answer wins. The body bytes are shared, the deadline's cancellation source is pooled, and the
    /// answer is not parsed here.
    /// </summary>
    /// <param name="call">The rendered call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="callId">Sent as <see cref="CompletionReceiver.CallHeader"/>, for an async call's result to be matched.</param>
    public async Task<CallResponse> CallAsync(PreparedCall call, CancellationToken cancellationToken, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var content = new ByteArrayContent(call.Body);
        content.Headers.ContentType = call.ContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Address) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (callId is not null)
        {
            request.Headers.TryAddWithoutValidation(CompletionReceiver.CallHeader, callId);
        }

        // A large body waits for the server's go-ahead: one it refuses (413 over its limit) is never sent, and the
        // answer carries the server's words instead of a connection broken mid-upload.
        request.Headers.ExpectContinue = call.Body.Length > ExpectContinueAbove ? true : null;
        using var deadline = deadlines.Start(call.ClientDeadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return new CallResponse((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResponse.NoAnswer($"no answer within the client deadline of {call.ClientDeadline.TotalSeconds:0} s", "TimeoutError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e) when (CallResponse.Unanswered(endpoint, $"POST {call.Address.AbsolutePath}", e, Stopwatch.GetElapsedTime(started).TotalSeconds) is { } unanswered)
        {
            return unanswered;
        }
    }

    public void Dispose()
    {
        invoker.Dispose();
        deadlines.Dispose();
    }
}
