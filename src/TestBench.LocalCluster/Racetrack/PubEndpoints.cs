using System.Text.Json;
using System.Text.Json.Nodes;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Pub, the gateway every job call goes through, with the python3 job type's routes behind it, at
/// <c>/pub/job/{name}/{version}/…</c> (<c>version</c>: exact, <c>latest</c> or <c>1.x</c>): <c>api/v1/perform</c>,
/// <c>api/v1/parameters</c>, <c>health</c>, <c>live</c>, <c>ready</c> (these three without a token) and <c>metrics</c>.
/// </summary>
internal static class PubEndpoints
{
    private const string TracingHeader = "X-Request-Tracing-Id";

    /// <summary>How long one call may run; Racetrack's synchronous calls are cut by its gateway's timeout.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapPubEndpoints(this IEndpointRouteBuilder routes)
    {
        var job = routes.MapGroup("/pub/job/{name}/{version}").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var tracing = http.Request.Headers[TracingHeader].ToString();
            http.Response.Headers[TracingHeader] = tracing.Length > 0 ? tracing : Guid.NewGuid().ToString();
            var path = http.Request.Path.Value ?? "";
            var open = path.EndsWith("/health", StringComparison.Ordinal) || path.EndsWith("/live", StringComparison.Ordinal) || path.EndsWith("/ready", StringComparison.Ordinal);
            return open || http.RequestServices.GetRequiredService<RacetrackAuth>().Allows(http.Request)
                ? await next(context).ConfigureAwait(false)
                : PubError(http, StatusCodes.Status401Unauthorized, "Proxy request error: Unauthenticated");
        });
        job.MapPost("/api/v1/perform", PerformAsync);
        job.MapGet("/api/v1/parameters", (HttpContext http, string name, string version, RacetrackService racetrack) =>
            Ready(http, racetrack, name, version, found => Results.Json(found.Parameters)));
        job.MapGet("/metrics", (HttpContext http, string name, string version, RacetrackService racetrack) =>
            Ready(http, racetrack, name, version, found => Results.Text(found.Metrics.Render(), "text/plain; version=0.0.4")));
        job.MapGet("/live", (HttpContext http, string name, string version, RacetrackService racetrack) => Probe(http, racetrack, name, version, job =>
            job.Status == "error"
                ? Results.Json(new JsonObject { ["live"] = false, ["error"] = job.Error }, statusCode: 500)
                : Results.Json(new JsonObject { ["live"] = true, ["deployment_timestamp"] = job.CreateTime.ToUnixTimeSeconds() })));
        job.MapGet("/ready", (HttpContext http, string name, string version, RacetrackService racetrack) => Probe(http, racetrack, name, version, job =>
            Results.Json(new JsonObject { ["ready"] = job.IsReady }, statusCode: job.IsReady ? 200 : 500)));
        job.MapGet("/health", (HttpContext http, string name, string version, RacetrackService racetrack) => Probe(http, racetrack, name, version, job =>
            Results.Json(new JsonObject
            {
                ["service"] = "job",
                ["job_name"] = job.Name,
                ["job_version"] = job.Version,
                ["live"] = job.Status != "error",
                ["ready"] = job.IsReady,
                ["status"] = job.IsReady ? "pass" : "fail",
                ["error"] = job.Error,
                ["deployment_timestamp"] = job.CreateTime.ToUnixTimeSeconds(),
                ["job_type_version"] = job.Manifest.JobType.Split(':')[1],
            }, statusCode: job.IsReady ? 200 : 500)));
        return routes;
    }

    private static async Task<IResult> PerformAsync(HttpContext http, string name, string version, RacetrackService racetrack, TimeProvider time)
    {
        if (racetrack.Resolve(name, version) is not { IsReady: true, Pool: { } pool } job)
        {
            return NotFound(http, name, version);
        }

        var started = time.GetTimestamp();
        job.Metrics.Started(time.GetUtcNow());
        var (answer, failed) = await CallAsync(http, job, pool).ConfigureAwait(false);
        job.Metrics.Done(time.GetElapsedTime(started), failed);
        return answer;
    }

    private static async Task<(IResult Answer, bool Failed)> CallAsync(HttpContext http, RacetrackJob job, WorkerPool pool)
    {
        JsonElement body;
        using (var text = new StreamReader(http.Request.Body))
        {
            var content = await text.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
            try
            {
                // An empty body falls back to the job's input example, as the wrapper's default body.
                body = content.Trim().Length == 0
                    ? JsonSerializer.SerializeToElement(job.InputExample ?? new JsonObject())
                    : JsonSerializer.Deserialize<JsonElement>(content);
            }
            catch (JsonException e)
            {
                return (Validation($"the body is not JSON: {e.Message}", "json_invalid"), true);
            }
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return (Validation("Input should be a valid dictionary", "dict_type"), true);
        }

        CallResult result;
        try
        {
            result = await pool.CallAsync(AlgorithmInput.FromJson(body), CallTimeout, http.RequestAborted).ConfigureAwait(false);
        }
        catch (QueueFullException e)
        {
            return (Results.Json(new JsonObject { ["detail"] = $"too many requests waiting in a queue. {e.Message}" }, statusCode: StatusCodes.Status429TooManyRequests), true);
        }

        job.AppendLog(result.Stdout);
        if (result.Error is { } error)
        {
            var status = error.ErrorType is "ValueError" or "TypeError" ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
            return (LifecycleErrors.Error(status, error.ErrorType, error.Message), true);
        }

        // The job type answers the return value's JSON, whatever its type (a string is a JSON string).
        return (Results.Text(result.Result!.Value.GetRawText(), "application/json"), false);
    }

    private static IResult Validation(string message, string type) =>
        Results.Json(new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = type, ["loc"] = new JsonArray("body"), ["msg"] = message }) }, statusCode: StatusCodes.Status422UnprocessableEntity);

    private static IResult Ready(HttpContext http, RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Resolve(name, version) is { IsReady: true } job ? answer(job) : NotFound(http, name, version);

    private static IResult Probe(HttpContext http, RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Resolve(name, version) is { } job ? answer(job) : NotFound(http, name, version);

    private static IResult NotFound(HttpContext http, string name, string version) =>
        PubError(http, StatusCodes.Status404NotFound, $"Proxy request error: Job was not found: {name} {version}");

    private static IResult PubError(HttpContext http, int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["requestId"] = http.Response.Headers[TracingHeader].ToString() }, statusCode: status);
}
