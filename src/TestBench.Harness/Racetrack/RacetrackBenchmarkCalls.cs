using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Running;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// The benchmark's calls on Racetrack: <c>POST {pub}/job/{name}/{version}/api/v1/perform</c> with <c>{"input": payload}</c>
/// (the exported job's <c>perform(input)</c>), rendered once and made straight on a connection pool of its own, without
/// retries. The client gives up 10 s after the test's timeout; Racetrack's own call timeout is not configurable per call.
/// </summary>
public sealed class RacetrackBenchmarkCalls : IBenchmarkCalls, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json", "utf-8");

    private readonly HttpMessageInvoker invoker;
    private readonly Uri pub;
    private readonly string token;
    private readonly DeadlinePool deadlines = new();
    private readonly Resilience.TargetEndpoint endpoint;

    /// <param name="pub">Pub's address, ending in <c>pub/</c>.</param>
    /// <param name="token">The <c>X-Racetrack-Auth</c> token. A secret.</param>
    public RacetrackBenchmarkCalls(Uri pub, string token)
    {
        ArgumentNullException.ThrowIfNull(pub);
        invoker = new HttpMessageInvoker(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 1024 });
        this.pub = pub;
        this.token = token;
        endpoint = new Resilience.TargetEndpoint("racetrack target's Pub", pub);
    }

    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        var (address, body, deadline) = Render(entrypoint, payload, timeoutSeconds, "job/{0}/{1}/api/v1/perform");
        return cancellationToken => CallAsync(address, body, deadline, cancellationToken);
    }

    /// <summary>Racetrack has async job calls (Pub's <c>/pub/async/…</c>).</summary>
    public string? AsyncCallsUnsupported => null;

    /// <summary>
    /// An async job call (racetrack docs/user/async-job-calls.md): <c>POST {pub}/async/new/job/{name}/{version}/api/v1/perform</c>
    /// → 201 <c>{task_id}</c>, then long polls of <c>{pub}/async/task/{id}/poll</c> until the job's answer (202, 408 and
    /// 504 mean "still running": poll again), all within the client deadline.
    /// </summary>
    public Func<CancellationToken, Task<CallResponse>> PrepareAsynchronous(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        var (submit, body, deadline) = Render(entrypoint, payload, timeoutSeconds, "async/new/job/{0}/{1}/api/v1/perform");
        return cancellationToken => CallAsynchronouslyAsync(submit, body, deadline, cancellationToken);
    }

    public void Dispose()
    {
        invoker.Dispose();
        deadlines.Dispose();
    }

    private async Task<CallResponse> CallAsynchronouslyAsync(Uri submit, byte[] body, TimeSpan clientDeadline, CancellationToken cancellationToken)
    {
        using var deadline = deadlines.Start(clientDeadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        double Elapsed() => Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            string taskId;
            using (var request = Request(HttpMethod.Post, submit, body))
            using (var response = await invoker.SendAsync(request, deadline.Token).ConfigureAwait(false))
            {
                var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return CallResponse.BareResult((int)response.StatusCode, answer, Elapsed());
                }

                if (TaskIdOf(answer) is not { } id)
                {
                    return CallResponse.Error((int)response.StatusCode, $"POST {submit.AbsolutePath} answered 201 without a task_id", "ProtocolError", Elapsed());
                }

                taskId = id;
            }

            var poll = new Uri(pub, $"async/task/{Uri.EscapeDataString(taskId)}/poll");
            while (true)
            {
                using var request = Request(HttpMethod.Get, poll, null);
                using var response = await invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
                var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout))
                {
                    return CallResponse.BareResult((int)response.StatusCode, answer, Elapsed());
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResponse.NoAnswer($"no result of the async call within the client deadline of {clientDeadline.TotalSeconds:0} s", "TimeoutError", Elapsed());
        }
        catch (Exception e) when (CallResponse.Unanswered(endpoint, $"async call {submit.AbsolutePath}", e, Elapsed()) is { } unanswered)
        {
            return unanswered;
        }
    }

    /// <summary>A call of the job's perform rendered once: Pub's <paramref name="route"/> (job name, version), the body, and
    /// the client's deadline, 10 s after the test's timeout (Racetrack's own call timeout is not set per call).</summary>
    private (Uri Address, byte[] Body, TimeSpan Deadline) Render(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds, string route)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var address = new Uri(pub, string.Format(System.Globalization.CultureInfo.InvariantCulture, route, JobExporter.RacetrackName(entrypoint.ExportedName), entrypoint.Version));
        var body = Encoding.UTF8.GetBytes(JobExporter.PerformArguments(entrypoint.TakesKeywordArguments, payload).ToJsonString());
        return (address, body, TimeSpan.FromSeconds(timeoutSeconds + 10));
    }

    private HttpRequestMessage Request(HttpMethod method, Uri address, byte[]? body)
    {
        var request = new HttpRequestMessage(method, address);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }

        request.Headers.TryAddWithoutValidation(RacetrackClient.AuthHeader, token);
        return request;
    }

    private static string? TaskIdOf(byte[] answer)
    {
        try
        {
            return JsonNode.Parse(answer) is JsonObject created && created["task_id"] is JsonValue id && id.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<CallResponse> CallAsync(Uri address, byte[] body, TimeSpan clientDeadline, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, address, body);
        using var deadline = deadlines.Start(clientDeadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return CallResponse.BareResult((int)response.StatusCode, answer, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResponse.NoAnswer($"no answer within the client deadline of {clientDeadline.TotalSeconds:0} s", "TimeoutError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e) when (CallResponse.Unanswered(endpoint, $"POST {address.AbsolutePath}", e, Stopwatch.GetElapsedTime(started).TotalSeconds) is { } unanswered)
        {
            return unanswered;
        }
    }
}
