namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The warm workers of one algorithm version: at most <see cref="RuntimeOptions.MaxConcurrency"/> calls run
/// at once, at most <see cref="RuntimeOptions.MaxQueueLength"/> wait, and any call beyond that is refused
/// with <see cref="QueueFullException"/>. Workers start on first use, are reused across calls, are replaced
/// when they crash or time out, and are stopped after <see cref="RuntimeOptions.IdleTimeout"/> unused.
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    private readonly WorkerSpec spec;
    private readonly RuntimeOptions options;
    private readonly string runnerPath;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics metrics;
    private readonly SemaphoreSlim slots;
    private readonly Lock sync = new();
    private readonly Stack<WorkerProcess> idle = new();
    private readonly HashSet<WorkerProcess> live = [];
    private readonly ITimer reaper;
    private int admitted;
    private int running;
    private bool disposed;

    public WorkerPool(WorkerSpec spec, RuntimeOptions options, string runnerPath, TimeProvider time, RuntimeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.spec = spec;
        this.options = options;
        this.runnerPath = runnerPath;
        this.time = time;
        this.metrics = metrics;
        slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var period = options.IdleTimeout < TimeSpan.FromSeconds(10) ? options.IdleTimeout : TimeSpan.FromSeconds(10);
        reaper = time.CreateTimer(_ => _ = ReapIdleAsync(), null, period, period);
    }

    public string Label => spec.Label;

    /// <summary>Calls running now.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>Calls waiting for a worker.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref admitted) - Running);

    /// <summary>Process ids of the workers that are alive and idle, for diagnostics and tests.</summary>
    public IReadOnlyList<int> IdleWorkerIds()
    {
        lock (sync)
        {
            return idle.Select(w => w.ProcessId).ToArray();
        }
    }

    /// <summary>Starts one worker ahead of the first call, so that call does not pay for loading.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        Return(await StartWorkerAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Runs one call on a warm worker.</summary>
    /// <exception cref="QueueFullException">Every worker is busy and the queue is full.</exception>
    /// <exception cref="WorkerStartException">No worker could be started; the message has the runner's output.</exception>
    public async Task<CallResult> CallAsync(AlgorithmInput input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Interlocked.Increment(ref admitted) > options.MaxConcurrency + options.MaxQueueLength)
        {
            Interlocked.Decrement(ref admitted);
            metrics.Rejected(spec.Label);
            throw new QueueFullException(spec.Label, options.MaxConcurrency, options.MaxQueueLength);
        }

        var started = time.GetTimestamp();
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                await slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return TimedOutInQueue(timeout, started);
            }

            Interlocked.Increment(ref running);
            metrics.Started(spec.Label);
            try
            {
                if (options.CallDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.CallDelay, time, cancellationToken).ConfigureAwait(false);
                }

                var result = await RunOnWorkerAsync(input, timeout, linked.Token, cancellationToken).ConfigureAwait(false);
                metrics.Finished(spec.Label, result.DurationSeconds, result.Succeeded);
                return result;
            }
            catch
            {
                metrics.Finished(spec.Label, time.GetElapsedTime(started).TotalSeconds, succeeded: false);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref running);
                slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref admitted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        WorkerProcess[] workers;
        lock (sync)
        {
            disposed = true;
            workers = [.. live];
            idle.Clear();
            live.Clear();
        }

        await reaper.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        slots.Dispose();
    }

    private async Task<CallResult> RunOnWorkerAsync(AlgorithmInput input, TimeSpan timeout, CancellationToken stop, CancellationToken cancellationToken)
    {
        var worker = TakeIdle() ?? await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await worker.CallAsync(input, timeout, stop, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(worker);
        }
    }

    private async Task<WorkerProcess> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var worker = await WorkerProcess.StartAsync(spec, runnerPath, options, time, cancellationToken).ConfigureAwait(false);
        lock (sync)
        {
            if (!disposed)
            {
                live.Add(worker);
                return worker;
            }
        }

        await worker.DisposeAsync().ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(WorkerPool), $"The worker pool of {spec.Label} was closed while a worker started.");
    }

    private CallResult TimedOutInQueue(TimeSpan timeout, long started) => new()
    {
        Error = new AlgorithmError($"The call to {spec.Label} waited for a free worker longer than its timeout of {timeout.TotalSeconds:0.###} s.", null, "TimeoutError"),
        DurationSeconds = time.GetElapsedTime(started).TotalSeconds,
        Stdout = "",
    };

    private WorkerProcess? TakeIdle()
    {
        lock (sync)
        {
            while (idle.TryPop(out var worker))
            {
                if (worker.IsUsable)
                {
                    return worker;
                }

                live.Remove(worker);
                _ = worker.DisposeAsync().AsTask();
            }
        }

        return null;
    }

    private void Return(WorkerProcess worker)
    {
        lock (sync)
        {
            if (!disposed && worker.IsUsable)
            {
                idle.Push(worker);
                return;
            }

            live.Remove(worker);
        }

        // Crashed, timed out or the pool is closing: it is replaced by a fresh start on a later call.
        _ = worker.DisposeAsync().AsTask();
    }

    private async Task ReapIdleAsync()
    {
        List<WorkerProcess> expired;
        lock (sync)
        {
            var keep = idle.Reverse().Where(w => w.IsUsable && time.GetElapsedTime(w.LastUsed) < options.IdleTimeout).ToArray();
            expired = idle.Except(keep).ToList();
            idle.Clear();
            foreach (var worker in keep)
            {
                idle.Push(worker);
            }

            live.ExceptWith(expired);
        }

        foreach (var worker in expired)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
