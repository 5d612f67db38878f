namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// Samples this process's current working set every few milliseconds while it lives, for the highest value
/// <em>during</em> a piece of work. (<see cref="System.Diagnostics.Process.PeakWorkingSet64"/> is a high-water mark of the
/// process's whole life: after an earlier, higher peak, any buffering reads as no growth at all.)
/// </summary>
public sealed class WorkingSetSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peak;

    public WorkingSetSampler()
    {
        Baseline = Environment.WorkingSet;
        peak = Baseline;
        sampling = Task.Run(SampleAsync);
    }

    /// <summary>The working set when sampling started.</summary>
    public long Baseline { get; }

    /// <summary>The highest working set seen so far, above <see cref="Baseline"/>.</summary>
    public long Growth => Math.Max(0, Interlocked.Read(ref peak) - Baseline);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            do
            {
                var now = Environment.WorkingSet;
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
