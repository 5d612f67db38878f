using System.Diagnostics;
using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Benchmark;

/// <summary>
/// Runs a load-shaped test: <c>warmup</c> calls that are not counted, then <c>repeat</c> calls, both spread over
/// <c>concurrency</c> parallel callers (so the warm-up starts as many workers as the measured load will use),
/// recording every wall latency of the counted calls in a <see cref="LatencyHistogram"/>.
/// </summary>
public static class LoadRunner
{
    /// <param name="call">Makes one call.</param>
    /// <param name="repeat">Counted calls, at least 1.</param>
    /// <param name="concurrency">Parallel callers, at least 1.</param>
    /// <param name="warmup">Uncounted calls made first, by the same number of callers.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<LoadResult> RunAsync(Func<CancellationToken, Task<CallResponse>> call, int repeat, int concurrency, int warmup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        await CallAsync(call, warmup, concurrency, _ => { }, cancellationToken).ConfigureAwait(false);

        var histogram = new LatencyHistogram();
        long errors = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await CallAsync(call, repeat, concurrency, response =>
        {
            histogram.Record(response.WallSeconds);
            if (!response.Succeeded)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, response.ErrorMessage, null);
            }
        }, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult
        {
            Calls = histogram.Count,
            Errors = errors,
            Throughput = elapsed > 0 ? (histogram.Count - errors) / elapsed : 0,
            P50 = histogram.Percentile(50),
            P90 = histogram.Percentile(90),
            P95 = histogram.Percentile(95),
            P99 = histogram.Percentile(99),
            Max = histogram.Max,
            FirstError = firstError,
        };
    }

    /// <summary>Makes <paramref name="count"/> calls from up to <paramref name="concurrency"/> callers at once.</summary>
    private static async Task CallAsync(Func<CancellationToken, Task<CallResponse>> call, int count, int concurrency, Action<CallResponse> record, CancellationToken cancellationToken)
    {
        var next = -1;
        var callers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                record(await call(cancellationToken).ConfigureAwait(false));
            }
        });
        await Task.WhenAll(callers).ConfigureAwait(false);
    }
}
