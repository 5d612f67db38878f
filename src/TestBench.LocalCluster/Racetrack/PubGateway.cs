using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>What every Pub route shares (pub/*.go): the request's tracing id, echoed or made; the token check; and Pub's
/// error shape <c>{"error", "requestId"}</c>.</summary>
internal static class PubGateway
{
    private const string TracingHeader = "X-Request-Tracing-Id";

    /// <summary>
    /// An endpoint filter that traces the request, then lets it in when <paramref name="open"/> says so, when it carries
    /// the user's token, or when it carries a job family's token granted <c>call_job</c> on the job the route names.
    /// </summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Filter(Func<HttpContext, bool> open, string unauthenticated) =>
        async (context, next) =>
        {
            var http = context.HttpContext;
            var tracing = http.Request.Headers[TracingHeader].ToString();
            http.Response.Headers[TracingHeader] = tracing.Length > 0 ? tracing : Guid.NewGuid().ToString();
            if (open(http) || http.RequestServices.GetRequiredService<RacetrackAuth>().Allows(http.Request))
            {
                return await next(context).ConfigureAwait(false);
            }

            return CallerFamily(http) switch
            {
                null => Error(http, StatusCodes.Status401Unauthorized, unauthenticated),
                (_, Allowed: true) => await next(context).ConfigureAwait(false),
                var (family, _) => Error(http, StatusCodes.Status401Unauthorized, NoPermission(http, family)),
            };
        };

    /// <summary>
    /// The job family whose token the request carries, and whether it may call the job the route names (a job family's
    /// token holds only <c>call_job</c>, on the families granted; routes naming no job are closed to it).
    /// </summary>
    private static (string Family, bool Allowed)? CallerFamily(HttpContext http)
    {
        var families = http.RequestServices.GetRequiredService<JobFamilyTokens>();
        return families.FamilyOf(http.Request.Headers[RacetrackAuth.Header].ToString()) is { } family
            ? (family, http.Request.RouteValues["name"] is string target && families.MayCall(family, target))
            : null;
    }

    // Racetrack's words for a subject without the scope (docs/permissions.md).
    private static string NoPermission(HttpContext http, string family) =>
        $"Unauthorized: no permission to do this operation: auth subject \"Job Family: {family}\" does not have permission to access endpoint " +
        $"{http.Request.Path} at resource \"{http.Request.RouteValues["name"]} {http.Request.RouteValues["version"]}\" with scope \"call_job\"";

    public static IResult Error(HttpContext http, int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["requestId"] = http.Response.Headers[TracingHeader].ToString() }, statusCode: status);
}
