using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Lifecycle's error shapes: its handlers answer <c>{"error", "type"}</c> (racetrack_commons/api/asgi/error_handler.py);
/// a request FastAPI cannot validate is 422 <c>{"detail": [{type, loc, msg}]}</c>; a route it does not have is
/// <c>{"detail": "Not Found"}</c> (405 <c>"Method Not Allowed"</c>). Pub, a Gin server, answers an unknown route with Gin's
/// plain <c>404 page not found</c>.
/// </summary>
internal static class LifecycleErrors
{
    public static IResult Error(int status, string type, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["type"] = type }, statusCode: status);

    public static IResult RequestValidation(string type, string[] location, string message) =>
        Results.Json(
            new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = type, ["loc"] = new JsonArray([.. location.Select(l => (JsonNode)l)]), ["msg"] = message }) },
            statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>Gives an empty 404 or 405 (a route or method the server does not have) its server's body.</summary>
    public static async Task WriteUnmatchedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed))
        {
            return;
        }

        if (context.Request.Path.StartsWithSegments("/pub", StringComparison.Ordinal))
        {
            response.ContentType = "text/plain";
            await response.WriteAsync(response.StatusCode == StatusCodes.Status404NotFound ? "404 page not found" : "405 method not allowed").ConfigureAwait(false);
            return;
        }

        await response.WriteAsJsonAsync(new JsonObject { ["detail"] = response.StatusCode == StatusCodes.Status404NotFound ? "Not Found" : "Method Not Allowed" }).ConfigureAwait(false);
    }
}
