namespace TestBench.LocalCluster.Api;

/// <summary>
/// The one way the cluster answers a failure: <c>{"error":{"id","code","message"}}</c> (the shape the
/// platform's clients parse), with an <c>X-Error-Message</c> header for HEAD answers, which have no body.
/// Messages name the route and what was wrong with it.
/// </summary>
internal static class ApiError
{
    public const int AlgorithmNotFound = 1000;
    public const int NoSuchAlgorithm = 1001;
    public const int AlgorithmExists = 1002;
    public const int VersionAlreadyPublished = 1007;
    public const int NotAuthorized = 2001;
    public const int UnknownKey = 2002;
    public const int InvalidJson = 2013;
    public const int InvalidRequest = 2015;
    public const int UserNotFound = 3000;
    public const int InternalError = 5001;
    public const int InvalidMarker = 5002;
    public const int RequestInvalid = 6001;
    public const int RequestTooLarge = 6002;
    public const int TooManyRequests = 6003;

    /// <summary>What a 429 asks the caller to wait before trying again, in seconds.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>How messages name a request's route: <c>GET /v1/algorithms/alice/Hello</c>.</summary>
    public static string RouteOf(HttpContext context) => $"{context.Request.Method} {context.Request.Path}";

    public static IResult Result(int status, int code, string message, string? id = null) =>
        new ErrorResult(status, code, message, id ?? Guid.NewGuid().ToString());

    /// <summary>429 with <c>Retry-After</c>: the algorithm is busy; the caller may try again shortly.</summary>
    public static IResult TooMany(string route, string why) =>
        Result(StatusCodes.Status429TooManyRequests, TooManyRequests, $"{route}: {why}");

    public static IResult Unauthorized(string route) =>
        Result(StatusCodes.Status401Unauthorized, UnknownKey, $"{route}: authorization required: send 'Authorization: Simple <API key>' with a key of this cluster");

    public static IResult Forbidden(string route, string what) =>
        Result(StatusCodes.Status403Forbidden, NotAuthorized, $"{route}: caller is not authorized to perform the operation on {what}");

    public static IResult BadRequest(string route, string problem, int code = InvalidRequest) =>
        Result(StatusCodes.Status400BadRequest, code, $"{route}: {problem}");

    public static IResult NotFound(string route, string what, int code = RequestInvalid) =>
        Result(StatusCodes.Status404NotFound, code, $"{route}: {what} not found");

    /// <summary>
    /// Gives a route or method the cluster does not have (an empty 404 or 405 from routing) the platform's error body,
    /// so a client that parses <c>error</c> says what happened instead of failing on an empty body.
    /// </summary>
    public static async Task WriteUnmatchedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsHead(context.Request.Method) || context.Response.HasStarted
            || context.Response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed))
        {
            return;
        }

        var problem = context.Response.StatusCode == StatusCodes.Status404NotFound ? "no such route on this cluster" : "this route does not take that method";
        await Result(context.Response.StatusCode, RequestInvalid, $"{RouteOf(context)}: {problem}").ExecuteAsync(context).ConfigureAwait(false);
    }

    private sealed class ErrorResult(int status, int code, string message, string id) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (status == StatusCodes.Status429TooManyRequests)
            {
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            // Header values must be single-line ASCII; the body carries the full text.
            httpContext.Response.Headers["X-Error-Message"] = new string(message.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return Task.CompletedTask;
            }

            return httpContext.Response.WriteAsJsonAsync(new { error = new { id, code, message } });
        }
    }
}
