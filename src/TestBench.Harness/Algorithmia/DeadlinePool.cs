using System.Collections.Concurrent;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Cancellation sources for the client's per-call deadline, reused: a load test makes thousands of calls a second,
/// and a new source with its own timer for each was a measurable part of the generator's cost. A source comes back
/// only if it never fired (<see cref="CancellationTokenSource.TryReset"/>), so a reused one is as good as new.
/// </summary>
internal sealed class DeadlinePool : IDisposable
{
    private const int MaxPooled = 256;
    private readonly ConcurrentQueue<CancellationTokenSource> pooled = new();

    /// <summary>A source that cancels after <paramref name="deadline"/>, or when <paramref name="outer"/> does.</summary>
    public Deadline Start(TimeSpan deadline, CancellationToken outer)
    {
        var source = pooled.TryDequeue(out var reused) ? reused : new CancellationTokenSource();
        source.CancelAfter(deadline);
        var link = outer.CanBeCanceled ? outer.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source) : default;
        return new Deadline(this, source, link);
    }

    public void Dispose()
    {
        while (pooled.TryDequeue(out var source))
        {
            source.Dispose();
        }
    }

    private void Return(CancellationTokenSource source)
    {
        if (pooled.Count < MaxPooled && source.TryReset())
        {
            pooled.Enqueue(source);
        }
        else
        {
            source.Dispose();
        }
    }

    /// <summary>One call's deadline; disposing it unlinks it and returns its source to the pool.</summary>
    public readonly struct Deadline(DeadlinePool pool, CancellationTokenSource source, CancellationTokenRegistration link) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            link.Dispose();
            pool.Return(source);
        }
    }
}
