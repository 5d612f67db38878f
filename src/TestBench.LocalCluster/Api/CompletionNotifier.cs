using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// The LangServer's async mode for the cluster's <c>output=void</c> calls (spec langserver.md §3.7): when a call is done,
/// its response body is POSTed to the configured <c>REQUEST_COMPLETE</c> address with every <c>X-</c> header of the
/// request; up to 3 attempts 1 s apart (each given 30 s). Only an address on 127.0.0.0/8 is taken: a test cluster makes
/// no outbound calls.
/// </summary>
public sealed partial class CompletionNotifier : IDisposable
{
    private readonly HttpClient http = new();
    private readonly Uri address;
    private readonly ILogger<CompletionNotifier> logger;
    private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromSeconds(1), BackoffType = DelayBackoffType.Constant, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>() })
        .AddTimeout(TimeSpan.FromSeconds(30))
        .Build();

    public CompletionNotifier(Uri address, ILogger<CompletionNotifier> logger)
    {
        this.address = Check(address);
        this.logger = logger;
    }

    /// <summary>The address, if it is an http address on 127.0.0.0/8 (or ::1).</summary>
    /// <exception cref="ArgumentException">It is not: the message says what is allowed.</exception>
    public static Uri Check(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsAbsoluteUri && address.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)
            ? address
            : throw new ArgumentException($"the request-complete address '{address}' is not an http address on 127.0.0.0/8: a test cluster posts results to this machine's loopback only");
    }

    /// <summary>Posts one call's response body; the request's <c>X-</c> headers go with it. Never throws: a notification
    /// that fails after its attempts is logged (the caller's wait for it ends at its own deadline).</summary>
    public async Task NotifyAsync(byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(body);
        var forwarded = headers.Where(h => h.Key.StartsWith("X-", StringComparison.OrdinalIgnoreCase)).ToArray();
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
                foreach (var (name, value) in forwarded)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request, token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            LogNotifyFailed(logger, address, e.Message);
        }
    }

    public void Dispose() => http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting an async call's result to {Address} failed after 3 attempts: {Reason}")]
    private static partial void LogNotifyFailed(ILogger logger, Uri address, string reason);
}
