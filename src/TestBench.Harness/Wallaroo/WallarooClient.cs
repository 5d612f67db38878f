using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// Wallaroo's orchestration and task API as the harness uses it: upload, wait (bounded) until an orchestration is
/// ready, start tasks, wait for a run to end, read its logs, kill. Every route is a POST; failures name the route and
/// carry Wallaroo's own words.
/// </summary>
public sealed class WallarooClient : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient http;

    public WallarooClient(WallarooConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        http = new HttpClient { BaseAddress = new Uri(connection.ApiAddress, "v1/api/"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
    }

    public WallarooConnection Connection { get; }

    /// <summary>Uploads an orchestration ZIP; returns its id.</summary>
    public async Task<string> UploadAsync(byte[] zip, string name, long workspaceId, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(zip) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", $"{name}.zip");
        form.Add(new StringContent(new JsonObject { ["workspace_id"] = workspaceId, ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"), "metadata");
        using var response = await http.PostAsync("orchestration/upload", form, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, "orchestration/upload", cancellationToken).ConfigureAwait(false))?["id"]?.ToString()
            ?? throw new InvalidDataException("orchestration/upload answered no id");
    }

    /// <summary>Waits until the orchestration is <c>ready</c>.</summary>
    /// <exception cref="InvalidOperationException">Packaging failed (with Wallaroo's reason) or took longer than <paramref name="limit"/>.</exception>
    public async Task WaitUntilReadyAsync(string orchestrationId, TimeSpan limit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await new Poll($"orchestration {orchestrationId} to be ready", PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                var orchestration = await PostAsync("orchestration/get_by_id", new JsonObject { ["id"] = orchestrationId }, token).ConfigureAwait(false);
                return orchestration?["status"]?.ToString() switch
                {
                    "ready" => PollResult.Done(true, "ready"),
                    "pending_packaging" or "packaging" or "packing" => PollResult.Pending<bool>(orchestration!["status"]!.ToString()),
                    var status => throw new InvalidOperationException($"orchestration {orchestrationId} is {status}: {orchestration?["error"]}"),
                };
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (!outcome.IsDone)
        {
            throw new InvalidOperationException($"orchestration {orchestrationId} was not ready within {limit.TotalSeconds:0} s (last status: {outcome.Status})");
        }
    }

    /// <summary>Starts a task that runs the orchestration once with <paramref name="arguments"/>; returns its id.</summary>
    public async Task<string> RunOnceAsync(string orchestrationId, string name, long workspaceId, JsonObject arguments, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await PostAsync("task/run_once", new JsonObject { ["name"] = name, ["workspace_id"] = workspaceId, ["orch_id"] = orchestrationId, ["json"] = arguments.DeepClone(), ["timeout"] = timeoutSeconds }, cancellationToken).ConfigureAwait(false))?["id"]?.ToString()
        ?? throw new InvalidDataException("task/run_once answered no id");

    /// <summary>Starts a task that runs the orchestration at every tick of <paramref name="schedule"/> (5-field cron) until killed; returns its id.</summary>
    public async Task<string> RunScheduledAsync(string orchestrationId, string name, long workspaceId, string schedule, JsonObject arguments, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await PostAsync("task/run_scheduled", new JsonObject { ["name"] = name, ["workspace_id"] = workspaceId, ["orch_id"] = orchestrationId, ["schedule"] = schedule, ["json"] = arguments.DeepClone(), ["timeout"] = timeoutSeconds }, cancellationToken).ConfigureAwait(false))?["id"]?.ToString()
        ?? throw new InvalidDataException("task/run_scheduled answered no id");

    /// <summary>When the task was created, by the server's clock.</summary>
    public async Task<DateTimeOffset> TaskCreatedAtAsync(string taskId, CancellationToken cancellationToken) =>
        (await PostAsync("task/get_by_id", new JsonObject { ["id"] = taskId }, cancellationToken).ConfigureAwait(false))?["created_at"]?.ToString() is { } text
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var created)
            ? created
            : throw new InvalidDataException($"task/get_by_id answered no created_at for task {taskId}");

    /// <summary>The workspace's orchestrations.</summary>
    public async Task<IReadOnlyList<OrchestrationInfo>> OrchestrationsAsync(long workspaceId, CancellationToken cancellationToken) =>
        (await PostAsync("orchestration/list", new JsonObject { ["workspace_id"] = workspaceId }, cancellationToken).ConfigureAwait(false)) is JsonArray list
            ? [.. list.OfType<JsonObject>().Select(o => new OrchestrationInfo(o["id"]?.ToString() ?? "", o["name"]?.ToString(), o["sha"]?.ToString() ?? "", o["status"]?.ToString() ?? "unknown"))]
            : throw new InvalidDataException("orchestration/list did not answer a list");

    /// <summary>The ids of the tasks that run the orchestration with <paramref name="sha"/>.</summary>
    public async Task<IReadOnlyList<string>> TasksOfAsync(string sha, CancellationToken cancellationToken) =>
        (await PostAsync("task/get_tasks_by_orch_sha", new JsonObject { ["sha"] = sha }, cancellationToken).ConfigureAwait(false))?["ids"] is JsonArray ids
            ? [.. ids.Select(id => id?.ToString() ?? "")]
            : throw new InvalidDataException("task/get_tasks_by_orch_sha answered no ids");

    /// <summary>The task's runs, newest first: run id, status, created and updated.</summary>
    public async Task<IReadOnlyList<TaskRunInfo>> RunsAsync(string taskId, CancellationToken cancellationToken) =>
        (await PostAsync("task/list_task_runs", new JsonObject { ["task_id"] = taskId }, cancellationToken).ConfigureAwait(false)) is JsonArray runs
            ? [.. runs.OfType<JsonObject>().Select(TaskRunInfo.From)]
            : throw new InvalidDataException("task/list_task_runs did not answer a list");

    /// <summary>Waits until the task's first run ended (<c>success</c> or <c>failure</c>), looking every <paramref name="interval"/> (default 100 ms); returns it.</summary>
    public async Task<TaskRunInfo> WaitForRunAsync(string taskId, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        var outcome = await new Poll($"a run of task {taskId} to end", interval ?? PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                var runs = await RunsAsync(taskId, token).ConfigureAwait(false);
                return runs.Count > 0 && runs[^1].Status is "success" or "failure"
                    ? PollResult.Done(runs[^1], runs[^1].Status)
                    : PollResult.Pending<TaskRunInfo>(runs.Count == 0 ? "no run yet" : runs[^1].Status);
            },
            time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            cancellationToken).ConfigureAwait(false);
        return outcome.IsDone ? outcome.Value! : throw new InvalidOperationException($"task {taskId} had no finished run within {limit.TotalSeconds:0} s (last: {outcome.Status})");
    }

    /// <summary>A run's log lines (the last <paramref name="lines"/>, or all).</summary>
    public async Task<IReadOnlyList<string>> LogsAsync(string runId, int? lines, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["id"] = runId };
        if (lines is { } tail)
        {
            body["lines"] = tail;
        }

        return (await PostAsync("task/get_logs_for_run", body, cancellationToken).ConfigureAwait(false))?["logs"] is JsonArray logs
            ? [.. logs.Select(line => line?.ToString() ?? "")]
            : throw new InvalidDataException("task/get_logs_for_run answered no logs");
    }

    /// <summary>Kills a task: its runs stop, no more start.</summary>
    public Task KillAsync(string taskId, CancellationToken cancellationToken) => PostAsync("task/kill", new JsonObject { ["id"] = taskId }, cancellationToken);

    /// <summary>Kills a task that may still start or run something — not one killed, being killed or failed, nor a run-once
    /// task whose run ended; says whether it did.</summary>
    public async Task<bool> KillIfLiveAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await PostAsync("task/get_by_id", new JsonObject { ["id"] = taskId }, cancellationToken).ConfigureAwait(false);
        var runs = (task?["last_runs"] as JsonArray)?.OfType<JsonObject>().Select(run => run["status"]?.ToString()).ToArray() ?? [];
        var ranOnce = task?["flavor"]?.ToString() == "exec_orch_oneshot" && runs.Length > 0 && !runs.Contains("running");
        if (ranOnce || task?["killed"]?.GetValue<bool>() == true || task?["status"]?.ToString() is "pending_kill" or "failed")
        {
            return false;
        }

        await KillAsync(taskId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonNode?> PostAsync(string route, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(route, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, route, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, string route, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new WallarooApiException($"POST {route} answered HTTP {(int)response.StatusCode}: {ErrorOf(text)}", (int)response.StatusCode);
        }

        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"POST {route} answered something that is not JSON: {e.Message}", e);
        }
    }

    private static string ErrorOf(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject error && (error["error"] ?? error["msg"]) is { } message ? message.ToString() : text;
        }
        catch (JsonException)
        {
            return text.Length > 300 ? text[..300] + "…" : text;
        }
    }
}
