using TestBench.LocalCluster.Api;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// The one exception handler: whatever a handler throws, the caller gets the platform's JSON error shape, never an
/// empty body. A request Kestrel rejects (an unreadable or too large body) keeps its status (400, 413); anything
/// else is 500 with an error id that the log line carries too, so the answer leads to the details.
/// </summary>
internal sealed partial class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ApiError.RequestTooLarge : ApiError.InvalidRequest;
            await ApiError.Result(e.StatusCode, code, $"{ApiError.RouteOf(context)}: {e.Message}").ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var id = Guid.NewGuid().ToString();
            LogFailure(logger, id, context.Request.Method, context.Request.Path.Value ?? "", e);
            await ApiError.Result(StatusCodes.Status500InternalServerError, ApiError.InternalError, $"{ApiError.RouteOf(context)}: internal error {id}; the cluster's log has the details", id)
                .ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Error {ErrorId} answering {Method} {Path}")]
    private static partial void LogFailure(ILogger logger, string errorId, string method, string path, Exception exception);
}
