using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>What every Pub route shares (pub/*.go): the request's tracing id, echoed or made; the token check; and Pub's
/// error shape <c>{"error", "requestId"}</c>.</summary>
internal static class PubGateway
{
    private const string TracingHeader = "X-Request-Tracing-Id";

    /// <summary>An endpoint filter that traces the request, then lets it in when <paramref name="open"/> says so or it carries the token.</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Filter(Func<HttpContext, bool> open, string unauthenticated) =>
        async (context, next) =>
        {
            var http = context.HttpContext;
            var tracing = http.Request.Headers[TracingHeader].ToString();
            http.Response.Headers[TracingHeader] = tracing.Length > 0 ? tracing : Guid.NewGuid().ToString();
            return open(http) || http.RequestServices.GetRequiredService<RacetrackAuth>().Allows(http.Request)
                ? await next(context).ConfigureAwait(false)
                : Error(http, StatusCodes.Status401Unauthorized, unauthenticated);
        };

    public static IResult Error(HttpContext http, int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["requestId"] = http.Response.Headers[TracingHeader].ToString() }, statusCode: status);
}
