using System.Text.Json.Nodes;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Resilience;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// A scheduled test's "calls": the first call starts a <c>run_scheduled</c> task of the exported orchestration, and the
/// k-th call is its k-th run — awaited (bounded by its tick, the test's timeout and a margin), its logs read before
/// anything kills the task, its latency measured from its tick to its end. Disposing kills the task. Each run's times,
/// from its tick (its start latency is its drift), are kept for <see cref="TakeTimingSummary"/>.
/// </summary>
/// <param name="target">The Wallaroo, with how long a minute of its schedules lasts.</param>
/// <param name="schedule">The test's schedule.</param>
public sealed class ScheduledTaskCalls(WallarooTarget target, ScheduledRuns schedule) : IBenchmarkCalls, IAsyncDisposable
{
    private static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim starting = new(1, 1);
    private readonly TaskCallRecorder recorder = new();
    private string? taskId;
    private DateTimeOffset created;
    private int calls;

    /// <summary>The scheduled task, once the first call started it.</summary>
    public string? TaskId => taskId;

    public bool CallsAreTaskRuns => true;

    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var rendered = payload?.DeepClone();
        return cancellationToken => CallAsync(entrypoint, rendered, timeoutSeconds, cancellationToken);
    }

    public string? TakeTimingSummary()
    {
        var runs = recorder.Take();
        return runs.Length == 0
            ? null
            : $"Scheduled task {taskId} ('{schedule.Cron.Text}', a minute lasting {target.ScheduleMinute.TotalSeconds:0.#} s); start latency here is each run's drift from its tick. "
                + WallarooBenchmarkCalls.Summarize(runs, origin: "tick");
    }

    public async ValueTask DisposeAsync()
    {
        if (taskId is { } id)
        {
            await target.Wallaroo.KillAsync(id, CancellationToken.None).ConfigureAwait(false);
        }

        starting.Dispose();
    }

    private Task<CallResponse> CallAsync(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds, CancellationToken cancellationToken) =>
        recorder.AnswerAsync(async () =>
        {
            await StartOnceAsync(entrypoint, payload, timeoutSeconds, cancellationToken).ConfigureAwait(false);
            var index = Interlocked.Increment(ref calls) - 1;
            var tick = schedule.Cron.Ticks(created, target.ScheduleMinute).ElementAt(index);
            var run = await AwaitRunAsync(index, tick + TimeSpan.FromSeconds(timeoutSeconds) + target.ScheduleMinute + TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return await target.Runner.OutcomeAsync(taskId!, run, tick, cancellationToken).ConfigureAwait(false);
        });

    private async Task StartOnceAsync(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (taskId is null)
            {
                var id = await target.Wallaroo.RunScheduledAsync(entrypoint.Version, $"{entrypoint.ExportedName}-scheduled", target.Wallaroo.Connection.WorkspaceId, schedule.Cron.Text, new JsonObject { ["input"] = payload?.DeepClone() }, timeoutSeconds, cancellationToken).ConfigureAwait(false);
                taskId = id;
                created = await target.Wallaroo.TaskCreatedAtAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            starting.Release();
        }
    }

    /// <summary>Waits until the task's run number <paramref name="index"/> (by start) has ended, until <paramref name="deadline"/>
    /// (a time by Wallaroo's clock, compared with this machine's: a real Wallaroo's skew shortens or lengthens the wait).</summary>
    private async Task<TaskRunInfo> AwaitRunAsync(int index, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var limit = deadline - target.Runner.Time.GetUtcNow();
        var outcome = await new Poll($"run {index + 1} of scheduled task {taskId}", LookInterval, limit > TimeSpan.Zero ? limit : LookInterval).UntilDoneAsync(
            async token =>
            {
                var runs = (await target.Wallaroo.RunsAsync(taskId!, token).ConfigureAwait(false)).OrderBy(run => run.CreatedAt).ToArray();
                return runs.Length > index && runs[index].Status is "success" or "failure"
                    ? PollResult.Done(runs[index], runs[index].Status)
                    : PollResult.Pending<TaskRunInfo>(runs.Length > index ? runs[index].Status : $"{runs.Length} run(s) so far");
            },
            target.Runner.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            cancellationToken).ConfigureAwait(false);
        return outcome.IsDone
            ? outcome.Value!
            : throw new InvalidOperationException($"scheduled task {taskId} ('{schedule.Cron.Text}') had not ended its run {index + 1} by {deadline:O} (last: {outcome.Status})");
    }
}
