using System.Collections.Concurrent;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Pub's async job calls (racetrack docs/user/async-job-calls.md; pub/async.go, pub/async_store.go): a task is created,
/// its job call runs in the background, and its result is handed out once. Limits as Pub's: a poll waits at most
/// <see cref="LongPoll"/>; a delivered result is forgotten <see cref="DeliveredGrace"/> later; any task after
/// <see cref="Retention"/>. Beyond Pub, live tasks are bounded (<see cref="MaxTasks"/>): a test cluster must not grow without end.
/// </summary>
public sealed class AsyncTaskStore(TimeProvider time)
{
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DeliveredGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(120);
    public const int MaxTasks = 10_000;

    private readonly ConcurrentDictionary<string, AsyncTask> tasks = new(StringComparer.Ordinal);

    /// <summary>Creates a task and starts <paramref name="call"/> for it; <see langword="null"/> when the store is full.</summary>
    public AsyncTask? Start(string jobName, string jobVersion, string jobPath, string method, Func<Task<JobAnswer>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Forget();
        if (tasks.Count >= MaxTasks)
        {
            return null;
        }

        var task = new AsyncTask { Id = Guid.NewGuid().ToString(), JobName = jobName, JobVersion = jobVersion, JobPath = jobPath, Method = method, StartedAt = time.GetUtcNow() };
        tasks[task.Id] = task;
        _ = Task.Run(async () =>
        {
            try
            {
                task.Complete(await call().ConfigureAwait(false), time.GetUtcNow());
            }
#pragma warning disable CA1031 // A job call that breaks fails its task, as Pub's "making request to a job" error does.
            catch (Exception e)
#pragma warning restore CA1031
            {
                task.Fail($"making request to a job: {e.Message}", time.GetUtcNow());
            }
        });
        return task;
    }

    public AsyncTask? Find(string id) => tasks.GetValueOrDefault(id);

    /// <summary>Notes that a task's result was handed out: it is forgotten after the grace period.</summary>
    public void Delivered(AsyncTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.DeliveredAt ??= time.GetUtcNow();
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        foreach (var task in tasks.Values.Where(t => now - t.StartedAt > Retention || (t.DeliveredAt is { } delivered && now - delivered > DeliveredGrace)))
        {
            tasks.TryRemove(task.Id, out _);
        }
    }
}

/// <summary>One async job call: <c>ongoing</c>, then <c>completed</c> (the job answered, whatever its status) or
/// <c>failed</c> (the job could not be called).</summary>
public sealed class AsyncTask
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public required string Id { get; init; }

    public required string JobName { get; init; }

    public required string JobVersion { get; init; }

    public required string JobPath { get; init; }

    public required string Method { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string Status { get; private set; } = "ongoing";

    public JobAnswer? Answer { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Completes when the task is no longer ongoing.</summary>
    public Task Done => done.Task;

    public void Complete(JobAnswer answer, DateTimeOffset at)
    {
        (Answer, EndedAt, Status) = (answer, at, "completed");
        done.TrySetResult();
    }

    public void Fail(string error, DateTimeOffset at)
    {
        (Error, EndedAt, Status) = (error, at, "failed");
        done.TrySetResult();
    }
}
