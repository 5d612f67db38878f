using System.Diagnostics;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Measuring;

/// <summary>
/// The open model: starts each call of an <see cref="OpenLoad"/> at its due time (<see cref="ArrivalSchedule"/>)
/// whether or not earlier calls have been answered, and measures its latency from that due time, so a server that
/// stalls is charged for every call that waited — not only for the few a closed-model caller happened to have in
/// flight (coordinated omission, wrk2's correction). A call is dropped, not sent, when <see cref="OpenLoad.MaxInFlight"/>
/// calls are unanswered at its due time, or when the generator reaches it more than <see cref="LateLimit"/> late
/// (this machine stalled the generator itself: sending the backlog in a burst would measure the stall, not the
/// server). The trial reports how far behind the generator fell.
/// </summary>
public static class OpenLoadRunner
{
    /// <summary>How late a call may start before it is dropped rather than sent in a burst; the schedule's thread
    /// normally starts calls within a millisecond. <value>50 ms.</value></summary>
    public static readonly TimeSpan LateLimit = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the whole schedule as one trial.</summary>
    public static async Task<Trial> RunAsync(Func<CancellationToken, Task<CallResponse>> call, OpenLoad load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(load);
        var run = new ScheduledRun(call, ArrivalSchedule.CountOf(load), load.MaxInFlight, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        // The schedule keeps its own thread: a timer-driven await wakes a millisecond or more late, and that lateness
        // would be charged to the server as latency.
        var lag = await Task.Factory.StartNew(() => StartOnSchedule(run, load, start, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        await run.Completion.ConfigureAwait(false);
        return new Trial { Records = run.Records, FirstError = run.FirstError, ElapsedSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds, GeneratorLagSeconds = lag };
    }

    /// <summary>Starts every call at its due time; the most the generator fell behind, in seconds.</summary>
    private static double StartOnSchedule(ScheduledRun run, OpenLoad load, long start, CancellationToken cancellationToken)
    {
        var lateLimit = (long)(LateLimit.TotalSeconds * Stopwatch.Frequency);
        long worst = 0;
        var index = 0;
        foreach (var due in ArrivalSchedule.DueTimes(load))
        {
            var dueAt = start + (long)(due * Stopwatch.Frequency);
            WaitUntil(dueAt, cancellationToken);
            var lateness = Stopwatch.GetTimestamp() - dueAt;
            worst = Math.Max(worst, lateness);
            run.Start(index++, dueAt, late: lateness > lateLimit);
        }

        return (double)worst / Stopwatch.Frequency;
    }

    /// <summary>Sleeps in 1 ms steps until 1.5 ms before the timestamp, then yields the core until it: calls start
    /// within some tens of microseconds of their due time, without a core spinning between them.</summary>
    private static void WaitUntil(long timestamp, CancellationToken cancellationToken)
    {
        var coarse = (long)(0.0015 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < timestamp - coarse)
        {
            cancellationToken.ThrowIfCancellationRequested();
#pragma warning disable RS0030 // The generator's own thread, paced by the real clock on purpose: timer-driven awaits were 1-3 ms late.
            Thread.Sleep(1);
#pragma warning restore RS0030
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            Thread.Yield();
        }
    }

    /// <summary>The calls of one schedule: each writes its own record slot; the last to finish completes the run.</summary>
    private sealed class ScheduledRun(Func<CancellationToken, Task<CallResponse>> call, long count, int maxInFlight, CancellationToken cancellationToken)
    {
        private readonly CallRecord[] records = new CallRecord[count];
        private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long unfinished = count;
        private int inFlight;
        private string? firstError;

        public Task Completion => records.Length == 0 ? Task.CompletedTask : completion.Task;

        public IReadOnlyList<CallRecord> Records => records;

        public string? FirstError => firstError;

        public void Start(int index, long dueAt, bool late)
        {
            if (late || Interlocked.Increment(ref inFlight) > maxInFlight)
            {
                if (!late)
                {
                    Interlocked.Decrement(ref inFlight);
                }

                Interlocked.CompareExchange(ref firstError, late
                    ? $"the generator fell more than {LateLimit.TotalMilliseconds:0} ms behind its schedule (this machine stalled it); calls dropped"
                    : $"{maxInFlight} calls were in flight (max_in_flight); calls dropped", null);
                Finish(index, new CallRecord(dueAt, 0, CallOutcome.Dropped));
                return;
            }

            _ = CallAsync(index, dueAt);
        }

        private async Task CallAsync(int index, long dueAt)
        {
            CallRecord record;
            try
            {
                var response = await call(cancellationToken).ConfigureAwait(false);
                record = new CallRecord(dueAt, Stopwatch.GetElapsedTime(dueAt).TotalSeconds, CallRecord.OutcomeOf(response));
                if (record.Outcome != CallOutcome.Succeeded)
                {
                    Interlocked.CompareExchange(ref firstError, response.ErrorMessage, null);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }
#pragma warning disable CA1031 // A call that throws is a failed call of the run, not a crash of the generator.
            catch (Exception e)
#pragma warning restore CA1031
            {
                record = new CallRecord(dueAt, Stopwatch.GetElapsedTime(dueAt).TotalSeconds, CallOutcome.Failed);
                Interlocked.CompareExchange(ref firstError, e.Message, null);
            }

            Interlocked.Decrement(ref inFlight);
            Finish(index, record);
        }

        private void Finish(int index, CallRecord record)
        {
            records[index] = record;
            if (Interlocked.Decrement(ref unfinished) == 0)
            {
                completion.TrySetResult();
            }
        }
    }
}
