using System.Diagnostics;
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

    /// <param name="pub">Pub's address, ending in <c>pub/</c>.</param>
    /// <param name="token">The <c>X-Racetrack-Auth</c> token. A secret.</param>
    public RacetrackBenchmarkCalls(Uri pub, string token)
    {
        ArgumentNullException.ThrowIfNull(pub);
        invoker = new HttpMessageInvoker(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 1024 });
        this.pub = pub;
        this.token = token;
    }

    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var address = new Uri(pub, $"job/{JobExporter.RacetrackName(entrypoint.ExportedName)}/{entrypoint.Version}/api/v1/perform");
        var body = Encoding.UTF8.GetBytes(JobExporter.PerformArguments(entrypoint.TakesKeywordArguments, payload).ToJsonString());
        var deadline = TimeSpan.FromSeconds(timeoutSeconds + 10);
        return cancellationToken => CallAsync(address, body, deadline, cancellationToken);
    }

    public void Dispose()
    {
        invoker.Dispose();
        deadlines.Dispose();
    }

    private async Task<CallResponse> CallAsync(Uri address, byte[] body, TimeSpan clientDeadline, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        request.Headers.TryAddWithoutValidation(RacetrackClient.AuthHeader, token);
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
        catch (HttpRequestException e)
        {
            return CallResponse.NoAnswer($"POST {address.AbsolutePath} failed: {e.Message}", "ConnectionError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
