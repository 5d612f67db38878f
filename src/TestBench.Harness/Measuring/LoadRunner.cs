using System.Diagnostics;
using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Measuring;

/// <summary>
/// The closed model: <c>warmup</c> calls that are not counted, or one trial of <c>repeat</c> counted calls, both
/// spread over <c>concurrency</c> parallel callers that each wait for an answer before the next call (so the warm-up
/// starts as many workers as the measured load will use). Each caller keeps its own records, so recording costs no lock.
/// </summary>
public static class LoadRunner
{
    /// <summary>Makes <paramref name="count"/> uncounted calls from up to <paramref name="concurrency"/> callers.</summary>
    public static Task WarmUpAsync(Func<CancellationToken, Task<CallResponse>> call, int count, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        return CallAsync(call, count, concurrency, cancellationToken);
    }

    /// <summary>Runs one trial.</summary>
    /// <param name="call">Makes one call.</param>
    /// <param name="repeat">Counted calls, at least 1.</param>
    /// <param name="concurrency">Parallel callers, at least 1.</param>
    /// <param name="cancellationToken">Stops the trial.</param>
    /// <param name="enough">Asked before each call with the number of calls the trial has started: <see langword="true"/>
    /// starts no more (the calls in flight finish), so a trial of slow calls can end before its <paramref name="repeat"/>;
    /// <see langword="null"/>: all of them.</param>
    public static async Task<Trial> RunTrialAsync(Func<CancellationToken, Task<CallResponse>> call, int repeat, int concurrency, CancellationToken cancellationToken, Func<int, bool>? enough = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var started = Stopwatch.GetTimestamp();
        var callers = await CallAsync(call, repeat, concurrency, cancellationToken, enough).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Trial
        {
            Records = [.. callers.SelectMany(c => c.Records)],
            FirstError = callers.Select(c => c.FirstError).FirstOrDefault(e => e is not null),
            ElapsedSeconds = elapsed,
        };
    }

    /// <summary>Makes <paramref name="count"/> calls from up to <paramref name="concurrency"/> callers, or fewer once
    /// <paramref name="enough"/> says so; what each caller recorded.</summary>
    private static async Task<Caller[]> CallAsync(Func<CancellationToken, Task<CallResponse>> call, int count, int concurrency, CancellationToken cancellationToken, Func<int, bool>? enough = null)
    {
        var next = -1;
        var callers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            var caller = new Caller();
            for (var index = Interlocked.Increment(ref next); index < count && enough?.Invoke(index) != true; index = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var response = await call(cancellationToken).ConfigureAwait(false);
                caller.Add(started, response);
            }

            return caller;
        });
        return await Task.WhenAll(callers).ConfigureAwait(false);
    }

    private sealed class Caller
    {
        public List<CallRecord> Records { get; } = [];

        public string? FirstError { get; private set; }

        public void Add(long started, CallResponse response)
        {
            Records.Add(new CallRecord(started, response.WallSeconds, CallRecord.OutcomeOf(response)));
            FirstError ??= response.ErrorMessage;
        }
    }
}
