using System.Text.Json;
using System.Text.Json.Nodes;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// Runs an orchestration as a <c>run_once</c> task with <c>{"input": payload}</c>, waits (bounded) for the run to end,
/// then reads its logs until the result line is there — Wallaroo's logs may lag the run — and times each part.
/// </summary>
/// <param name="client">The Wallaroo API.</param>
/// <param name="time">The harness's clock (log lag, bounds).</param>
public sealed class TaskRunner(WallarooClient client, TimeProvider time)
{
    /// <summary>How often a run's status and logs are looked at: often enough for a task of a few hundred milliseconds.</summary>
    private static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a successful run's result line may take to reach its logs (Wallaroo: "can lag ~1 min"). <value>2 minutes.</value></summary>
    public TimeSpan LogWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The harness's clock.</summary>
    public TimeProvider Time => time;

    /// <summary>Runs the orchestration once; a run that fails or times out is an outcome, not an exception.</summary>
    /// <exception cref="WallarooApiException">A route answered an error.</exception>
    /// <exception cref="InvalidOperationException">No run ended within the timeout and a margin.</exception>
    public async Task<TaskOutcome> RunOnceAsync(string orchestrationId, string taskName, JsonNode? input, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var taskId = await client.RunOnceAsync(orchestrationId, taskName, client.Connection.WorkspaceId, new JsonObject { ["input"] = input?.DeepClone() }, timeoutSeconds, cancellationToken).ConfigureAwait(false);
        var run = await client.WaitForRunAsync(taskId, TimeSpan.FromSeconds(timeoutSeconds + 30), time, cancellationToken, LookInterval).ConfigureAwait(false);
        var created = await client.TaskCreatedAtAsync(taskId, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(taskId, run, created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an ended run's logs (until its result line is there, for a success) and times it from <paramref name="origin"/>.</summary>
    public async Task<TaskOutcome> OutcomeAsync(string taskId, TaskRunInfo run, DateTimeOffset origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ended = time.GetTimestamp();
        IReadOnlyList<string> logs = [];
        var found = false;
        JsonNode? result = null;
        // A failed run has no result line to wait for: its logs are read once, as they are.
        var wait = run.Status == "success" ? LogWait : TimeSpan.Zero;
        await new Poll($"the result line of run {run.RunId}", LookInterval, wait + LookInterval).UntilDoneAsync(
            async token =>
            {
                logs = await client.LogsAsync(run.RunId, lines: null, token).ConfigureAwait(false);
                (result, found) = Read(logs, run.RunId);
                return found || wait == TimeSpan.Zero ? PollResult.Done(true) : PollResult.Pending<bool>($"{logs.Count} log line(s), no result line yet");
            },
            time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            cancellationToken).ConfigureAwait(false);
        return new TaskOutcome
        {
            TaskId = taskId,
            Run = run,
            Logs = logs,
            Result = result,
            ResultFound = found,
            // The code's first log line says when it started; a run that logged nothing, when it was created.
            StartSeconds = Math.Max(0, ((OrchestrationPackage.StartOf(logs) ?? run.CreatedAt) - origin).TotalSeconds),
            TotalSeconds = Math.Max(0, (run.UpdatedAt - origin).TotalSeconds),
            LogLagSeconds = found ? time.GetElapsedTime(ended).TotalSeconds : null,
            Phases = CodePhases.Of(logs),
        };
    }

    private static (JsonNode? Result, bool Found) Read(IReadOnlyList<string> logs, string runId)
    {
        try
        {
            var result = OrchestrationPackage.ResultOf(logs, out var found);
            return (result, found);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the result line of run {runId} is not JSON: {e.Message}", e);
        }
    }
}
