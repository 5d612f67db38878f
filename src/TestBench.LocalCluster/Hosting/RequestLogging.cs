using System.Diagnostics;
using TestBench.LocalCluster.Access;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// One structured log line per request with a request id (also sent back as <c>X-Request-Id</c>), at
/// <see cref="LogLevel.Debug"/>: thousands of calls a second would otherwise write hundreds of megabytes a minute;
/// <c>--log-level debug</c> turns them on. It logs the method, the path, the status and the time, never headers or
/// query strings, so keys cannot reach the log.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ApiKeys keys, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = "req-" + Guid.NewGuid().ToString("N")[..12];
        context.Response.Headers["X-Request-Id"] = requestId;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRequest(logger, requestId, context.Request.Method, keys.Redact(context.Request.Path.Value ?? ""), context.Response.StatusCode, milliseconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{RequestId} {Method} {Path} -> {Status} in {Milliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string requestId, string method, string path, int status, double milliseconds);
}
