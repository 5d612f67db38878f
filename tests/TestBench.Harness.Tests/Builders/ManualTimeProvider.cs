namespace TestBench.Harness.Tests.Builders;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>; timers fire as it passes them.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock sync = new();
    private readonly List<ManualTimer> timers = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> dueWaiters = [];
    private long ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (sync)
        {
            return ticks;
        }
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> timers are due at some time: the code under test is waiting on
    /// the clock, so a test can <see cref="Advance"/> it without racing the code that sets the timers.
    /// </summary>
    public Task WhenDueTimersAsync(int count)
    {
        lock (sync)
        {
            if (DueTimers() >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            dueWaiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Moves the clock forward and fires every timer that falls due, in order.</summary>
    public void Advance(TimeSpan by)
    {
        long target;
        lock (sync)
        {
            target = ticks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (sync)
            {
                next = timers.Where(t => t.DueAt is { } due && due <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    ticks = target;
                    return;
                }

                ticks = Math.Max(ticks, next.DueAt!.Value);
                next.DueAt = next.Period > TimeSpan.Zero ? ticks + next.Period.Ticks : null;
            }

            next.Fire();
        }
    }

    private int DueTimers() => timers.Count(t => t.DueAt is not null);

    private void ReleaseDueWaiters()
    {
        var due = DueTimers();
        foreach (var waiter in dueWaiters.Where(w => w.Count <= due).ToList())
        {
            dueWaiters.Remove(waiter);
            waiter.Reached.SetResult();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.sync)
            {
                clock.timers.Remove(this);
                Period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.ticks + dueTime.Ticks;
                clock.timers.Add(this);
                clock.ReleaseDueWaiters();
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock.sync)
            {
                clock.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
