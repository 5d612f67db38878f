using System.Net.Http.Headers;
using System.Text;
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
    private readonly PlatformHttp api;

    /// <param name="connection">Where the API is, and the token.</param>
    /// <param name="time">The clock of the retries' back-off and timeouts.</param>
    /// <param name="limits">How hard a request is tried; <see cref="RetryLimits.Default"/> when <see langword="null"/>.</param>
    public WallarooClient(WallarooConnection connection, TimeProvider? time = null, RetryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        http = PlatformHttp.CreateClient(new Uri(connection.ApiAddress, "v1/api/"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        api = new PlatformHttp(http, new TargetEndpoint("wallaroo target", connection.ApiAddress), time ?? TimeProvider.System, limits);
    }

    public WallarooConnection Connection { get; }

    /// <summary>The API, as failure messages name it.</summary>
    public TargetEndpoint Endpoint => api.Endpoint;

    /// <summary>Uploads an orchestration ZIP; returns its id.</summary>
    public async Task<string> UploadAsync(byte[] zip, string name, long workspaceId, CancellationToken cancellationToken)
    {
        HttpRequestMessage Upload()
        {
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(zip) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", $"{name}.zip" },
                { new StringContent(new JsonObject { ["workspace_id"] = workspaceId, ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"), "metadata" },
            };
            return new HttpRequestMessage(HttpMethod.Post, "orchestration/upload") { Content = form };
        }

        return (await SendAsync(Upload, Replay.OnlyIfNeverSent, cancellationToken).ConfigureAwait(false)).Id("id");
    }

    /// <summary>Waits until the orchestration is <c>ready</c>.</summary>
    /// <exception cref="InvalidOperationException">Packaging failed (with Wallaroo's reason) or took longer than <paramref name="limit"/>.</exception>
    public async Task WaitUntilReadyAsync(string orchestrationId, TimeSpan limit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await new Poll($"orchestration {orchestrationId} to be ready", PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                var orchestration = await PostAsync("orchestration/get_by_id", new JsonObject { ["id"] = orchestrationId }, Replay.Safe, token).ConfigureAwait(false);
                return orchestration.Text("status") switch
                {
                    "ready" => PollResult.Done(true, "ready"),
                    "pending_packaging" or "packaging" or "packing" => PollResult.Pending<bool>(orchestration.Text("status")),
                    var status => throw new InvalidOperationException($"orchestration {orchestrationId} is {status}: {orchestration.Root?["error"]}"),
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

    /// <summary>Starts a task that runs the orchestration once with <paramref name="arguments"/>; returns its id. Never sent
    /// twice: a task run is a benchmark's call.</summary>
    public async Task<string> RunOnceAsync(string orchestrationId, string name, long workspaceId, JsonObject arguments, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await PostAsync("task/run_once", new JsonObject { ["name"] = name, ["workspace_id"] = workspaceId, ["orch_id"] = orchestrationId, ["json"] = arguments.DeepClone(), ["timeout"] = timeoutSeconds }, Replay.Never, cancellationToken).ConfigureAwait(false)).Id("id");

    /// <summary>Starts a task that runs the orchestration at every tick of <paramref name="schedule"/> (5-field cron) until killed; returns its id.</summary>
    public async Task<string> RunScheduledAsync(string orchestrationId, string name, long workspaceId, string schedule, JsonObject arguments, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await PostAsync("task/run_scheduled", new JsonObject { ["name"] = name, ["workspace_id"] = workspaceId, ["orch_id"] = orchestrationId, ["schedule"] = schedule, ["json"] = arguments.DeepClone(), ["timeout"] = timeoutSeconds }, Replay.OnlyIfNeverSent, cancellationToken).ConfigureAwait(false)).Id("id");

    /// <summary>When the task was created, by the server's clock.</summary>
    public async Task<DateTimeOffset> TaskCreatedAtAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await PostAsync("task/get_by_id", new JsonObject { ["id"] = taskId }, Replay.Safe, cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.TryParse(task.Text("created_at"), System.Globalization.CultureInfo.InvariantCulture, out var created)
            ? created
            : throw task.Refuse($"field 'created_at' of task {taskId} is not a date and time");
    }

    /// <summary>The workspace's orchestrations.</summary>
    public async Task<IReadOnlyList<OrchestrationInfo>> OrchestrationsAsync(long workspaceId, CancellationToken cancellationToken) =>
        [.. (await PostAsync("orchestration/list", new JsonObject { ["workspace_id"] = workspaceId }, Replay.Safe, cancellationToken).ConfigureAwait(false)).Items()
            .Select(o => new OrchestrationInfo(o.Id("id"), o.OptionalText("name"), o.Text("sha"), o.OptionalText("status") ?? "unknown"))];

    /// <summary>The ids of the tasks that run the orchestration with <paramref name="sha"/>.</summary>
    public async Task<IReadOnlyList<string>> TasksOfAsync(string sha, CancellationToken cancellationToken) =>
        [.. (await PostAsync("task/get_tasks_by_orch_sha", new JsonObject { ["sha"] = sha }, Replay.Safe, cancellationToken).ConfigureAwait(false)).Array("ids").Select(id => id?.ToString() ?? "")];

    /// <summary>The task's runs, newest first: run id, status, created and updated.</summary>
    public async Task<IReadOnlyList<TaskRunInfo>> RunsAsync(string taskId, CancellationToken cancellationToken) =>
        [.. (await PostAsync("task/list_task_runs", new JsonObject { ["task_id"] = taskId }, Replay.Safe, cancellationToken).ConfigureAwait(false)).Items().Select(TaskRunInfo.From)];

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

        return [.. (await PostAsync("task/get_logs_for_run", body, Replay.Safe, cancellationToken).ConfigureAwait(false)).Array("logs").Select(line => line?.ToString() ?? "")];
    }

    /// <summary>Kills a task: its runs stop, no more start.</summary>
    public Task KillAsync(string taskId, CancellationToken cancellationToken) => PostAsync("task/kill", new JsonObject { ["id"] = taskId }, Replay.Safe, cancellationToken);

    /// <summary>Kills a task that may still start or run something — not one killed, being killed or failed, nor a run-once
    /// task whose run ended; says whether it did.</summary>
    public async Task<bool> KillIfLiveAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await PostAsync("task/get_by_id", new JsonObject { ["id"] = taskId }, Replay.Safe, cancellationToken).ConfigureAwait(false);
        var runs = task.Root?["last_runs"] is JsonArray ? task.Items("last_runs").Select(run => run.OptionalText("status")).ToArray() : [];
        var ranOnce = task.OptionalText("flavor") == "exec_orch_oneshot" && runs.Length > 0 && !runs.Contains("running");
        if (ranOnce || task.OptionalBool("killed") == true || task.OptionalText("status") is "pending_kill" or "failed")
        {
            return false;
        }

        await KillAsync(taskId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => http.Dispose();

    private Task<JsonReply> PostAsync(string route, JsonObject body, Replay replay, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") }, replay, cancellationToken);

    /// <summary>Sends through the pipeline; an error status becomes a <see cref="WallarooApiException"/> with Wallaroo's words
    /// (<c>{"error": …}</c> or <c>{"msg": …}</c>), a reply that is not JSON a <see cref="TargetFaultException"/>.</summary>
    private Task<JsonReply> SendAsync(Func<HttpRequestMessage> createRequest, Replay replay, CancellationToken cancellationToken) =>
        api.SendForJsonAsync(createRequest, replay, ["error", "msg"], (sentence, status) => new WallarooApiException(sentence, status), cancellationToken);
}
