using System.Globalization;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Pub's async routes (racetrack docs/user/async-job-calls.md, pub/async.go): <c>POST /pub/async/new/job/{name}/{version}/{path}</c>
/// → 201 <c>{task_id, status}</c>; <c>GET /pub/async/task/{id}/poll</c> → the job's own answer once done (its status, body
/// and content type), 500 with the task's record when it failed, 408 <c>Time-out</c> after a long poll, 404 for an unknown
/// task; <c>GET /pub/async/task/{id}/status</c> → <c>{task_id, status}</c>. Errors are Pub's <c>{"error", "requestId"}</c>.
/// </summary>
internal static class PubAsyncEndpoints
{
    private const string PerformPath = "api/v1/perform";

    public static IEndpointRouteBuilder MapPubAsyncEndpoints(this IEndpointRouteBuilder routes)
    {
        // Starting a task needs a token that may call the job; polling and status need none: Pub checks no token there
        // (pub/async.go TaskPollEndpoint, TaskStatusEndpoint — the random task id is the key), and Racetrack's own job
        // runner polls without one (job-runner-python-lib call.py async_job_call).
        var start = routes.MapGroup("/pub/async/new").AddEndpointFilter(PubGateway.Filter(_ => false, "Async Job Call request error: Unauthenticated"));
        start.MapPost("/job/{name}/{version}/{**path}", StartAsync);
        var task = routes.MapGroup("/pub/async/task").AddEndpointFilter(PubGateway.Filter(_ => true, "unused: these routes are open"));
        task.MapGet("/{id}/poll", PollAsync);
        task.MapGet("/{id}/status", (HttpContext http, string id, AsyncTaskStore store) => store.Find(id) is { } found
            ? Results.Json(new JsonObject { ["task_id"] = found.Id, ["status"] = found.Status })
            : TaskNotFound(http, id));
        return routes;
    }

    private static async Task<IResult> StartAsync(HttpContext http, string name, string version, string path, RacetrackService racetrack, AsyncTaskStore store, TimeProvider time)
    {
        if (racetrack.Resolve(name, version) is not { IsReady: true, Pool: { } pool } job)
        {
            return Error(http, StatusCodes.Status404NotFound, $"Async Job Call request error: Job was not found: {name} {version}");
        }

        string content;
        using (var text = new StreamReader(http.Request.Body))
        {
            content = await text.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        }

        // The python3 job type serves perform here; any other path is the job's own 404, as its FastAPI answers it.
        var jobPath = path.TrimStart('/');
        var task = store.Start(job.Name, job.Version, jobPath, http.Request.Method, async () =>
        {
            if (jobPath != PerformPath)
            {
                return JobAnswer.Json(StatusCodes.Status404NotFound, new JsonObject { ["detail"] = "Not Found" });
            }

            var started = time.GetTimestamp();
            job.Metrics.Started(time.GetUtcNow());
            var answer = await JobCall.PerformAsync(job, pool, content, CancellationToken.None).ConfigureAwait(false);
            job.Metrics.Done(time.GetElapsedTime(started), answer.Failed);
            return answer;
        });
        return task is null
            ? Error(http, StatusCodes.Status503ServiceUnavailable, $"Async Job Call request error: {AsyncTaskStore.MaxOutstanding} async tasks wait for their results to be polled; poll them first")
            : Results.Json(new JsonObject { ["task_id"] = task.Id, ["status"] = task.Status }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Long polling: waits until the task is done or <see cref="AsyncTaskStore.LongPoll"/> passes.</summary>
    private static async Task<IResult> PollAsync(HttpContext http, string id, AsyncTaskStore store, TimeProvider time)
    {
        if (store.Find(id) is not { } task)
        {
            return TaskNotFound(http, id);
        }

        try
        {
            await task.Done.WaitAsync(AsyncTaskStore.LongPoll, time, http.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return Results.Text("Time-out", "text/plain", statusCode: StatusCodes.Status408RequestTimeout);
        }

        store.Delivered(task);
        return task.Answer is { } answer ? answer.ToResult() : Results.Json(Record(task), statusCode: StatusCodes.Status500InternalServerError);
    }

    /// <summary>A failed task as Pub describes it (respondTaskResult).</summary>
    private static JsonObject Record(AsyncTask task) => new()
    {
        ["task_id"] = task.Id,
        ["status"] = task.Status,
        ["job_name"] = task.JobName,
        ["job_version"] = task.JobVersion,
        ["job_path"] = task.JobPath,
        ["http_method"] = task.Method,
        ["started_at"] = task.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["ended_at"] = task.EndedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["duration"] = task.EndedAt is { } ended ? $"{(ended - task.StartedAt).TotalSeconds:0.###}s" : null,
        ["error"] = task.Error,
        ["attempts"] = 1,
    };

    private static IResult TaskNotFound(HttpContext http, string id) =>
        Error(http, StatusCodes.Status404NotFound, $"Task not found in Lifecycle: Async task not found: {id}");

    private static IResult Error(HttpContext http, int status, string message) => PubGateway.Error(http, status, message);
}
