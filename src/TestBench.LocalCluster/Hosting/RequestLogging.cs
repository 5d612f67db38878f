using System.Diagnostics;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// One structured log line per request with a request id (also sent back as <c>X-Request-Id</c>). It logs the
/// method, the path, the status and the time, never headers or query strings, so keys cannot reach the log.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
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
            if (logger.IsEnabled(LogLevel.Information))
            {
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRequest(logger, requestId, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, milliseconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{RequestId} {Method} {Path} -> {Status} in {Milliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string requestId, string method, string path, int status, double milliseconds);
}
