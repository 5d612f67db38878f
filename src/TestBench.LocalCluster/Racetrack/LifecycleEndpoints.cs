using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Racetrack's Lifecycle API, the routes its CLI and the harness call (lifecycle/endpoints/*.py at racetrack e5821292),
/// at <c>/api/v1</c> and under <c>/lifecycle/api/v1</c> (the CLI adds <c>/lifecycle</c> to a remote without a path:
/// racetrack_client/client_config/alias.py). Job routes that read take <c>latest</c> and wildcard versions as
/// Lifecycle's <c>resolve_job_model</c> does; delete, redeploy and move take an exact version (<c>read_job</c>).
/// Errors have Lifecycle's shapes (<see cref="LifecycleErrors"/>).
/// </summary>
internal static class LifecycleEndpoints
{
    /// <summary>The one infrastructure target jobs run on here.</summary>
    public const string Infrastructure = "embedded";

    /// <summary>The job type this Racetrack runs (any <c>python3:&lt;version&gt;</c> in a manifest is run by it).</summary>
    private const string JobType = "python3:latest";

    private const string User = "testbench";

    /// <summary>What FastAPI answers for a handler that returns <c>None</c>.</summary>
    private static IResult NullBody => Results.Text("null", "application/json");

    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder routes, Func<Uri> address)
    {
        foreach (var prefix in new[] { "", "/lifecycle" })
        {
            MapAt(routes.MapGroup(prefix), address);
        }

        return routes;
    }

    private static void MapAt(RouteGroupBuilder lifecycle, Func<Uri> address)
    {
        lifecycle.MapGet("/api/v1/info", () => Results.Json(new JsonObject
        {
            ["service"] = "lifecycle",
            ["git_version"] = "testbench-embedded",
            ["docker_tag"] = null,
            ["auth_required"] = true,
            ["external_pub_url"] = new Uri(address(), "pub").ToString(),
            ["lifecycle_url"] = address().ToString().TrimEnd('/'),
            ["grafana_url"] = null,
        }));

        var api = lifecycle.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<RacetrackAuth>().Allows(context.HttpContext.Request)
                ? await next(context).ConfigureAwait(false)
                : LifecycleErrors.Error(StatusCodes.Status401Unauthorized, "UnauthorizedError", $"missing or invalid {RacetrackAuth.Header} header"));
        // The one token is a user's (lifecycle/endpoints/user.py answers UserProfileDto).
        api.MapGet("/users/validate_user_auth", (HttpContext http) =>
            Results.Json(new JsonObject { ["username"] = User, ["token"] = http.Request.Headers[RacetrackAuth.Header].ToString(), ["is_staff"] = false }));
        api.MapPost("/deploy", DeployAsync);
        api.MapGet("/deploy", (RacetrackService racetrack, int? limit) =>
            Results.Json(new JsonArray([.. racetrack.RecentDeployments(limit ?? 100).Select(d => (JsonNode)LifecycleObjects.Describe(d, racetrack, address()))])));
        api.MapGet("/deploy/{id}", (string id, RacetrackService racetrack) => racetrack.FindDeployment(id) is { } deployment
            ? Results.Json(LifecycleObjects.Describe(deployment, racetrack, address()))
            : LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"deployment {id} was not found"));
        api.MapGet("/job", (RacetrackService racetrack) => Results.Json(new JsonArray([.. racetrack.Jobs.Select(job => (JsonNode)LifecycleObjects.Describe(job, address()))])));
        api.MapGet("/job/{name}/{version}", (string name, string version, RacetrackService racetrack) =>
            Resolved(racetrack, name, version, job => Results.Json(LifecycleObjects.Describe(job, address()))));
        api.MapDelete("/job/{name}/{version}", async (string name, string version, RacetrackService racetrack) =>
            await racetrack.DeleteAsync(name, version).ConfigureAwait(false)
                ? NullBody
                : LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found (delete takes an exact version)"));
        api.MapPost("/job/{name}/{version}/redeploy", RedeployAsync);
        api.MapPost("/job/{name}/{version}/move", MoveAsync);
        api.MapGet("/job/{name}/{version}/logs", (string name, string version, int? tail, RacetrackService racetrack) =>
            Resolved(racetrack, name, version, job => Results.Json(new JsonObject { ["logs"] = Tail(job.Log, tail ?? 20) })));
        api.MapGet("/job/{name}/{version}/logs/plain", (string name, string version, int? tail, RacetrackService racetrack) =>
            Resolved(racetrack, name, version, job => Results.Text(Tail(job.Log, tail ?? 20), "text/plain; charset=utf-8")));
        api.MapGet("/job/{name}/{version}/build-logs", (string name, string version, int? tail, RacetrackService racetrack) =>
            Resolved(racetrack, name, version, job => Results.Json(new JsonObject { ["logs"] = Tail(job.BuildLog, tail ?? 0) })));
        api.MapGet("/job/{name}/{version}/build-logs/plain", (string name, string version, int? tail, RacetrackService racetrack) =>
            Resolved(racetrack, name, version, job => Results.Text(Tail(job.BuildLog, tail ?? 0), "text/plain; charset=utf-8")));
        // lifecycle/endpoints/auth.py: an admin grants a job family a scope on another family. The embedded Racetrack's
        // one user is its admin; only call_job is a scope a family token can use here.
        api.MapPost("/auth/allow/job_family/{source}/job/{target}/scope/{scope}", (string source, string target, string scope, JobFamilyTokens families) =>
        {
            if (scope != "call_job")
            {
                return LifecycleErrors.Error(StatusCodes.Status400BadRequest, "ValueError", $"scope '{scope}' cannot be granted to a job family here: only call_job is emulated");
            }

            if (!families.Knows(source))
            {
                return LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"Job family {source} was not found");
            }

            families.AllowCalls(source, target);
            return Results.Json<object?>(null);
        });
        api.MapGet("/plugin/job_type/versions", () => Results.Json(new JsonArray(JobType)));
    }

    private static async Task<IResult> DeployAsync(HttpContext context, RacetrackService racetrack)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return LifecycleErrors.RequestValidation("json_invalid", ["body"], $"JSON decode error: {e.Message}");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return LifecycleErrors.RequestValidation("model_attributes_type", ["body"], "Input should be a valid dictionary or object to extract fields from");
        }

        if (!body.TryGetProperty("manifest", out var manifestJson))
        {
            return LifecycleErrors.RequestValidation("missing", ["body", "manifest"], "Field required");
        }

        JobManifest manifest;
        JobSecrets secrets;
        try
        {
            manifest = JobManifest.Parse(manifestJson);
            secrets = JobSecrets.Parse(body);
        }
        catch (FormatException e)
        {
            return LifecycleErrors.Error(StatusCodes.Status400BadRequest, "ValidationError", e.Message);
        }

        if (!body.TryGetProperty("build_context", out var context64) || context64.ValueKind != JsonValueKind.String)
        {
            return LifecycleErrors.Error(StatusCodes.Status400BadRequest, "ValueError",
                "build_context is missing: this embedded Racetrack builds jobs only from a base64 tar.gz build_context (racetrack deploy --context local), it does not clone git remotes");
        }

        byte[] archive;
        try
        {
            archive = Convert.FromBase64String(context64.GetString()!);
        }
        catch (FormatException)
        {
            return LifecycleErrors.Error(StatusCodes.Status400BadRequest, "ValueError", "build_context is not base64");
        }

        var force = body.TryGetProperty("force", out var forced) && forced.ValueKind == JsonValueKind.True;
        try
        {
            return Results.Json(new JsonObject { ["id"] = racetrack.Deploy(manifest, archive, force, secrets).Id });
        }
        catch (InvalidOperationException e)
        {
            return LifecycleErrors.Error(StatusCodes.Status500InternalServerError, "RuntimeError", e.Message);
        }
    }

    /// <summary>Lifecycle's redeploy builds again and answers when done: <c>null</c>, or the deployment's error.</summary>
    private static async Task<IResult> RedeployAsync(string name, string version, RacetrackService racetrack)
    {
        Deployment? deployment;
        try
        {
            deployment = await racetrack.RedeployAsync(name, version).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return LifecycleErrors.Error(StatusCodes.Status500InternalServerError, "RuntimeError", e.Message);
        }

        return deployment switch
        {
            null => LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found (redeploy takes an exact version)"),
            { Status: "failed" } => LifecycleErrors.Error(StatusCodes.Status500InternalServerError, "RuntimeError", deployment.Error ?? "the redeployment failed"),
            _ => NullBody,
        };
    }

    /// <summary>
    /// Moving to another infrastructure (lifecycle/deployer/redeploy.py <c>move_job</c>): there is one here, so a move to it
    /// fails as Lifecycle's own assertion does, and a move to any other names the one there is.
    /// </summary>
    private static async Task<IResult> MoveAsync(HttpContext context, string name, string version, RacetrackService racetrack)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return LifecycleErrors.RequestValidation("json_invalid", ["body"], $"JSON decode error: {e.Message}");
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("infrastructure_target", out var target) || target.ValueKind != JsonValueKind.String)
        {
            return LifecycleErrors.RequestValidation("missing", ["body", "infrastructure_target"], "Field required");
        }

        if (racetrack.Find(name, version) is null)
        {
            return LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found (move takes an exact version)");
        }

        return target.GetString() == Infrastructure
            ? LifecycleErrors.Error(StatusCodes.Status500InternalServerError, "AssertionError", "new infrastructure target has to be different from the current one")
            : LifecycleErrors.Error(StatusCodes.Status400BadRequest, "ValueError",
                $"infrastructure target '{target.GetString()}' does not exist: this embedded Racetrack has one infrastructure target, '{Infrastructure}'");
    }

    private static IResult Resolved(RacetrackService racetrack, string name, string version, Func<RacetrackJob, IResult> answer) =>
        racetrack.Resolve(name, version) is { } job
            ? answer(job)
            : LifecycleErrors.Error(StatusCodes.Status404NotFound, "EntityNotFound", $"job {name} {version} was not found");

    private static string Tail(string text, int lines) =>
        lines <= 0 ? text : string.Join('\n', text.Split('\n').TakeLast(lines + (text.EndsWith('\n') ? 1 : 0)));
}
