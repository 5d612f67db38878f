using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Racetrack's Lifecycle API subset at <c>/api/v1</c>: info, deploy and its status, jobs (list, get, delete, logs,
/// build logs). Errors are <c>{"error", "type"}</c>: 400 for invalid input, 401 without the token, 404 for an
/// unknown job or deployment, 500 otherwise.
/// </summary>
internal static class LifecycleEndpoints
{
    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder routes, Func<Uri> address)
    {
        routes.MapGet("/api/v1/info", () => Results.Json(new JsonObject
        {
            ["service"] = "lifecycle",
            ["git_version"] = "testbench-embedded",
            ["docker_tag"] = null,
            ["auth_required"] = true,
            ["external_pub_url"] = new Uri(address(), "pub").ToString(),
            ["lifecycle_url"] = address().ToString().TrimEnd('/'),
            ["grafana_url"] = null,
        }));

        var api = routes.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<RacetrackAuth>().Allows(context.HttpContext.Request)
                ? await next(context).ConfigureAwait(false)
                : Error(StatusCodes.Status401Unauthorized, "UnauthorizedError", $"missing or invalid {RacetrackAuth.Header} header"));
        api.MapPost("/deploy", DeployAsync);
        api.MapGet("/deploy/{id}", (string id, RacetrackService racetrack) => racetrack.FindDeployment(id) is { } deployment
            ? Results.Json(Describe(deployment, racetrack, address()))
            : Error(StatusCodes.Status404NotFound, "EntityNotFound", $"deployment {id} was not found"));
        api.MapGet("/job", (RacetrackService racetrack) => Results.Json(new JsonArray([.. racetrack.Jobs.Select(job => (JsonNode)Describe(job, address()))])));
        api.MapGet("/job/{name}/{version}", (string name, string version, RacetrackService racetrack) =>
            WithJob(racetrack, name, version, job => Results.Json(Describe(job, address()))));
        api.MapDelete("/job/{name}/{version}", async (string name, string version, RacetrackService racetrack) =>
            await racetrack.DeleteAsync(name, version).ConfigureAwait(false)
                ? Results.Json(new JsonObject())
                : Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found (delete takes an exact version)"));
        api.MapGet("/job/{name}/{version}/logs", (string name, string version, int? tail, RacetrackService racetrack) =>
            WithJob(racetrack, name, version, job => Results.Json(new JsonObject { ["logs"] = Tail(job.Log, tail ?? 20) })));
        api.MapGet("/job/{name}/{version}/build-logs", (string name, string version, int? tail, RacetrackService racetrack) =>
            WithJob(racetrack, name, version, job => Results.Json(new JsonObject { ["logs"] = Tail(job.BuildLog, tail ?? 0) })));
        return routes;
    }

    /// <summary>The error shape of Racetrack's APIs.</summary>
    public static IResult Error(int status, string type, string message) =>
        Results.Json(new JsonObject { ["error"] = message, ["type"] = type }, statusCode: status);

    private static async Task<IResult> DeployAsync(HttpContext context, RacetrackService racetrack)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, "ValueError", $"the deploy request is not JSON: {e.Message}");
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("manifest", out var manifestJson))
        {
            return Error(StatusCodes.Status400BadRequest, "ValueError", "the deploy request must be an object with 'manifest' and 'build_context'");
        }

        JobManifest manifest;
        try
        {
            manifest = JobManifest.Parse(manifestJson);
        }
        catch (FormatException e)
        {
            return Error(StatusCodes.Status400BadRequest, "ValueError", $"invalid manifest: {e.Message}");
        }

        if (!body.TryGetProperty("build_context", out var context64) || context64.ValueKind != JsonValueKind.String)
        {
            return Error(StatusCodes.Status400BadRequest, "ValueError",
                "build_context is missing: this embedded Racetrack builds jobs only from a base64 tar.gz build_context, it does not clone git remotes");
        }

        byte[] archive;
        try
        {
            archive = Convert.FromBase64String(context64.GetString()!);
        }
        catch (FormatException)
        {
            return Error(StatusCodes.Status400BadRequest, "ValueError", "build_context is not base64");
        }

        var force = body.TryGetProperty("force", out var forced) && forced.ValueKind == JsonValueKind.True;
        JobSecrets secrets;
        try
        {
            secrets = JobSecrets.Parse(body);
        }
        catch (FormatException e)
        {
            return Error(StatusCodes.Status400BadRequest, "ValidationError", e.Message);
        }

        try
        {
            return Results.Json(new JsonObject { ["id"] = racetrack.Deploy(manifest, archive, force, secrets).Id });
        }
        catch (InvalidOperationException e)
        {
            return Error(StatusCodes.Status500InternalServerError, "RuntimeError", e.Message);
        }
    }

    private static IResult WithJob(RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Find(name, version) is { } job ? answer(job) : Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found");

    private static string Tail(string text, int lines) =>
        lines <= 0 ? text : string.Join('\n', text.Split('\n').TakeLast(lines + (text.EndsWith('\n') ? 1 : 0)));

    private static JsonObject Describe(Deployment deployment, RacetrackService racetrack, Uri address) => new()
    {
        ["id"] = deployment.Id,
        ["status"] = deployment.Status,
        ["create_time"] = deployment.CreateTime.ToUnixTimeSeconds(),
        ["update_time"] = deployment.UpdateTime.ToUnixTimeSeconds(),
        ["error"] = deployment.Error,
        ["phase"] = deployment.Phase,
        ["warnings"] = null,
        ["job_name"] = deployment.JobName,
        ["job_version"] = deployment.JobVersion,
        ["deployed_by"] = "testbench",
        ["job"] = deployment.Status == "done" && racetrack.Find(deployment.JobName, deployment.JobVersion) is { } job ? Describe(job, address) : null,
    };

    private static JsonObject Describe(RacetrackJob job, Uri address) => new()
    {
        ["id"] = $"{job.Name}-{job.Version}",
        ["name"] = job.Name,
        ["version"] = job.Version,
        ["status"] = job.Status,
        ["create_time"] = job.CreateTime.ToUnixTimeSeconds(),
        ["update_time"] = job.UpdateTime.ToUnixTimeSeconds(),
        ["error"] = job.Error,
        ["pub_url"] = new Uri(address, $"pub/job/{job.Name}/{job.Version}").ToString(),
        ["deployed_by"] = "testbench",
        ["infrastructure_target"] = "embedded",
        ["job_type_version"] = job.Manifest.JobType.Split(':')[1],
        ["manifest"] = new JsonObject
        {
            ["name"] = job.Name,
            ["version"] = job.Version,
            ["owner_email"] = job.Manifest.OwnerEmail,
            ["jobtype"] = job.Manifest.JobType,
        },
    };
}
