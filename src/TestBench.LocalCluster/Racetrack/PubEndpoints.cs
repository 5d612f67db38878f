using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Pub, the gateway every job call goes through, with the python3 job type's routes behind it, at
/// <c>/pub/job/{name}/{version}/…</c> (<c>version</c>: exact, <c>latest</c> or <c>1.x</c>): <c>api/v1/perform</c>,
/// <c>api/v1/parameters</c>, <c>health</c>, <c>live</c>, <c>ready</c> (these three without a token) and <c>metrics</c>.
/// </summary>
internal static class PubEndpoints
{
    public static IEndpointRouteBuilder MapPubEndpoints(this IEndpointRouteBuilder routes)
    {
        // The probes answer without a token.
        var job = routes.MapGroup("/pub/job/{name}/{version}").AddEndpointFilter(PubGateway.Filter(
            http => http.Request.Path.Value is { } path && (path.EndsWith("/health", StringComparison.Ordinal) || path.EndsWith("/live", StringComparison.Ordinal) || path.EndsWith("/ready", StringComparison.Ordinal)),
            "Proxy request error: Unauthenticated"));
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

        string content;
        using (var text = new StreamReader(http.Request.Body))
        {
            content = await text.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        }

        var started = time.GetTimestamp();
        job.Metrics.Started(time.GetUtcNow());
        var answer = await JobCall.PerformAsync(job, pool, content, http.RequestAborted).ConfigureAwait(false);
        job.Metrics.Done(time.GetElapsedTime(started), answer.Failed);
        return answer.ToResult();
    }

    private static IResult Ready(HttpContext http, RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Resolve(name, version) is { IsReady: true } job ? answer(job) : NotFound(http, name, version);

    private static IResult Probe(HttpContext http, RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Resolve(name, version) is { } job ? answer(job) : NotFound(http, name, version);

    private static IResult NotFound(HttpContext http, string name, string version) =>
        PubGateway.Error(http, StatusCodes.Status404NotFound, $"Proxy request error: Job was not found: {name} {version}");
}
