using System.Collections.Concurrent;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Pub's async job calls (racetrack docs/user/async-job-calls.md; pub/async.go, pub/async_store.go): a task is created,
/// its job call runs in the background, and its result is handed out. Limits as Pub's: a poll waits at most
/// <see cref="LongPoll"/>; a delivered result is forgotten <see cref="DeliveredGrace"/> later (pub/async.go
/// respondTaskResult), any task after <see cref="Retention"/>. Beyond Pub, a test cluster must not grow without end:
/// at most <see cref="MaxOutstanding"/> tasks whose results were not yet handed out, and at most
/// <see cref="MaxDelivered"/> delivered ones kept for their grace period (the oldest go first).
/// </summary>
public sealed class AsyncTaskStore(TimeProvider time)
{
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DeliveredGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(120);
    public const int MaxOutstanding = 10_000;
    public const int MaxDelivered = 100_000;

    private readonly ConcurrentDictionary<string, AsyncTask> tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AsyncTask> delivered = new();
    private int outstanding;
    private long nextRetentionSweep;

    /// <summary>Creates a task and starts <paramref name="call"/> for it; <see langword="null"/> when
    /// <see cref="MaxOutstanding"/> results wait to be polled.</summary>
    public AsyncTask? Start(string jobName, string jobVersion, string jobPath, string method, Func<Task<JobAnswer>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Forget();
        if (Interlocked.Increment(ref outstanding) > MaxOutstanding)
        {
            Interlocked.Decrement(ref outstanding);
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
        if (task.MarkDelivered(time.GetUtcNow()))
        {
            Interlocked.Decrement(ref outstanding);
            delivered.Enqueue(task);
        }
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        // Delivered tasks leave in the order they were delivered.
        while (delivered.TryPeek(out var oldest) && (now - oldest.DeliveredAt > DeliveredGrace || delivered.Count > MaxDelivered) && delivered.TryDequeue(out oldest))
        {
            tasks.TryRemove(oldest.Id, out _);
        }

        // Tasks never polled leave after the retention; looked for once a minute.
        var sweep = Interlocked.Read(ref nextRetentionSweep);
        if (now.UtcTicks < sweep || Interlocked.CompareExchange(ref nextRetentionSweep, now.AddMinutes(1).UtcTicks, sweep) != sweep)
        {
            return;
        }

        foreach (var task in tasks.Values.Where(t => t.DeliveredAt is null && now - t.StartedAt > Retention))
        {
            if (tasks.TryRemove(task.Id, out _))
            {
                Interlocked.Decrement(ref outstanding);
            }
        }
    }
}

/// <summary>One async job call: <c>ongoing</c>, then <c>completed</c> (the job answered, whatever its status) or
/// <c>failed</c> (the job could not be called).</summary>
public sealed class AsyncTask
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int deliveredOnce;

    public required string Id { get; init; }

    public required string JobName { get; init; }

    public required string JobVersion { get; init; }

    public required string JobPath { get; init; }

    public required string Method { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>When its result was first handed out.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

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

    /// <summary>Notes the first hand-out; <see langword="false"/> when it was handed out before.</summary>
    public bool MarkDelivered(DateTimeOffset at)
    {
        if (Interlocked.Exchange(ref deliveredOnce, 1) == 1)
        {
            return false;
        }

        DeliveredAt = at;
        return true;
    }
}
