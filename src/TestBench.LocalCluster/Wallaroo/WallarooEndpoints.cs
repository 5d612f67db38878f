using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>
/// The orchestration and task routes of Wallaroo's API under <c>/v1/api</c>, all POST (upload multipart, the rest a
/// JSON object). Every answer to a bad request is <c>{"status": "error", "code", "error"}</c> naming the field:
/// 400 for invalid input, 401 without the bearer token, 404 for an unknown orchestration, task or run.
/// </summary>
internal static class WallarooEndpoints
{
    private const long MaxUploadBytes = 512L * 1024 * 1024;

    public static IEndpointRouteBuilder MapWallarooEndpoints(this IEndpointRouteBuilder routes, string token)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        var api = routes.MapGroup("/v1/api").AddEndpointFilter(async (context, next) =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers.Authorization.ToString()), expected)
                ? await next(context).ConfigureAwait(false)
                : Error(StatusCodes.Status401Unauthorized, "missing or invalid Authorization: Bearer <token> header"));
        api.MapPost("/orchestration/upload", UploadAsync);
        api.MapPost("/orchestration/list", (HttpContext http, WallarooService service) => WithBody(http, body =>
            Results.Json(new JsonArray([.. service.Orchestrations(Workspace(body)).Select(o => (JsonNode)o.ToJson())]))));
        api.MapPost("/orchestration/get_by_id", (HttpContext http, WallarooService service) => WithBody(http, body =>
            service.FindOrchestration(Text(body, "id")!) is { } orchestration ? Results.Json(orchestration.ToJson()) : NotFound("orchestration", Text(body, "id")!)));
        api.MapPost("/task/run_once", (HttpContext http, WallarooService service) => StartTask(http, service, WallarooService.Flavors.Once));
        api.MapPost("/task/run_scheduled", (HttpContext http, WallarooService service) => StartTask(http, service, WallarooService.Flavors.Scheduled));
        api.MapPost("/task/run_continuously", (HttpContext http, WallarooService service) => StartTask(http, service, WallarooService.Flavors.Continuous));
        api.MapPost("/task/get_by_id", (HttpContext http, WallarooService service) => WithBody(http, body =>
            service.FindTask(Text(body, "id")!) is { } task ? Results.Json(task.ToJson()) : NotFound("task", Text(body, "id")!)));
        api.MapPost("/task/list", (HttpContext http, WallarooService service) => WithBody(http, body =>
            Results.Json(new JsonArray([.. service.Tasks(Workspace(body)).Select(t => (JsonNode)t.ToJson())]))));
        api.MapPost("/task/get_tasks_by_orch_sha", (HttpContext http, WallarooService service) => WithBody(http, body =>
            Results.Json(new JsonObject { ["ids"] = new JsonArray([.. service.TasksOf(Text(body, "sha")!).Select(t => (JsonNode)t.Id)]) })));
        api.MapPost("/task/kill", (HttpContext http, WallarooService service) => WithBody(http, body =>
            service.Kill(Text(body, "id")!) is { } task ? Results.Json(WithKilledPending(task.ToJson())) : NotFound("task", Text(body, "id")!)));
        api.MapPost("/task/list_task_runs", (HttpContext http, WallarooService service) => WithBody(http, body => ListRuns(body, service)));
        api.MapPost("/task/get_logs_for_run", (HttpContext http, WallarooService service) => WithBody(http, body =>
            service.FindRun(Text(body, "id")!) is { } run
                ? Results.Json(new JsonObject { ["logs"] = new JsonArray([.. run.Logs(WholeNumber(body, "lines")).Select(line => (JsonNode)line)]) })
                : NotFound("task run", Text(body, "id")!)));
        return routes;
    }

    /// <summary>The error shape of every route.</summary>
    public static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["status"] = "error", ["code"] = status, ["error"] = message }, statusCode: status);

    private static IResult NotFound(string what, string id) => Error(StatusCodes.Status404NotFound, $"no {what} with id {id}");

    /// <summary>Kill answers before the flag is set, as Wallaroo's does: status pending_kill, killed false.</summary>
    private static JsonObject WithKilledPending(JsonObject task)
    {
        task["killed"] = false;
        return task;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, WallarooService service)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "upload is multipart/form-data with a 'file' part (the ZIP) and a 'metadata' part ({\"workspace_id\": int, \"name\"?: str})");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        if (form.Files.GetFile("file") is not { } file)
        {
            return Error(StatusCodes.Status400BadRequest, "file: the upload has no 'file' part");
        }

        if (file.Length > MaxUploadBytes)
        {
            return Error(StatusCodes.Status400BadRequest, $"file: {file.Length} bytes is more than the limit of {MaxUploadBytes / (1024 * 1024)} MiB");
        }

        var metadataText = form.TryGetValue("metadata", out var values) ? values.ToString() : await ReadPartAsync(form.Files.GetFile("metadata")).ConfigureAwait(false);
        JsonObject metadata;
        try
        {
            metadata = JsonNode.Parse(string.IsNullOrWhiteSpace(metadataText) ? "{}" : metadataText) as JsonObject ?? throw new FormatException("metadata must be a JSON object");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return Error(StatusCodes.Status400BadRequest, $"metadata: {e.Message}");
        }

        try
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            var orchestration = service.Upload(buffer.ToArray(), file.FileName, Workspace(metadata), Text(metadata, "name", required: false));
            return Results.Json(new JsonObject { ["id"] = orchestration.Id });
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return Error(StatusCodes.Status400BadRequest, e is InvalidDataException ? $"file: {e.Message}" : e.Message);
        }
    }

    private static async Task<string?> ReadPartAsync(IFormFile? part)
    {
        if (part is null)
        {
            return null;
        }

        using var reader = new StreamReader(part.OpenReadStream());
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    private static Task<IResult> StartTask(HttpContext http, WallarooService service, string flavor) => WithBody(http, body =>
    {
        var scheduled = flavor == WallarooService.Flavors.Scheduled;
        var arguments = body["json"] switch
        {
            null => new JsonObject(),
            JsonObject given => (JsonObject)given.DeepClone(),
            _ => throw new ArgumentException("json: the task's arguments must be a JSON object"),
        };
        var timeout = flavor == WallarooService.Flavors.Continuous ? null : WholeNumber(body, "timeout");
        if (timeout is <= 0)
        {
            throw new ArgumentException($"timeout: {timeout} is not a positive number of seconds");
        }

        var task = service.Start(flavor, Text(body, "name", required: false), Workspace(body), Text(body, "orch_id")!, arguments,
            timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null, scheduled ? Text(body, "schedule") : null);
        return Results.Json(new JsonObject { ["id"] = task.Id });
    });

    private static IResult ListRuns(JsonObject body, WallarooService service)
    {
        var task = service.FindTask(Text(body, "task_id")!);
        if (task is null)
        {
            return NotFound("task", Text(body, "task_id")!);
        }

        var status = Text(body, "status", required: false) ?? "all";
        if (status is not ("all" or "running" or "failure" or "success"))
        {
            throw new ArgumentException($"status: '{status}' is none of all, running, failure, success");
        }

        var runs = WallarooService.Runs(task).Where(r => status == "all" || r.Status == status).OrderByDescending(r => r.UpdatedAt);
        var limited = WholeNumber(body, "limit") is { } limit ? runs.Take(limit) : runs;
        return Results.Json(new JsonArray([.. limited.Select(r => (JsonNode)r.ToJson())]));
    }

    /// <summary>Reads the JSON object body and answers <paramref name="answer"/>'s result; a bad body or field is a 400 naming it.</summary>
    private static async Task<IResult> WithBody(HttpContext http, Func<JsonObject, IResult> answer)
    {
        JsonObject body;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
            body = JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text) as JsonObject ?? throw new ArgumentException("the body must be a JSON object");
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"the body is not JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }

        try
        {
            return answer(body);
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static string? Text(JsonObject body, string field, bool required = true) => body[field] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => text,
        null when !required => null,
        null => throw new ArgumentException($"{field}: required"),
        _ => throw new ArgumentException($"{field}: must be a non-empty string"),
    };

    private static int? WholeNumber(JsonObject body, string field) => body[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        _ => throw new ArgumentException($"{field}: must be a whole number"),
    };

    /// <summary><c>workspace_id</c>: a number (the examples) or a numeric string (the reference).</summary>
    private static long Workspace(JsonObject body) => body["workspace_id"] switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) && long.TryParse(text, out var parsed) => parsed,
        null => throw new ArgumentException("workspace_id: required"),
        _ => throw new ArgumentException("workspace_id: must be a whole number"),
    };
}
