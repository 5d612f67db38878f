using System.Collections.Concurrent;

namespace TestBench.Harness.Running;

/// <summary>
/// Runs an asynchronous initialiser at most once per key and hands every caller the same task, so a workflow's
/// export happens once however many cases need it. A failure is kept too: every later caller sees the same
/// exception, which is how the cases after a failed export fail fast with its reason.
/// </summary>
public sealed class OncePerKey<TKey, TValue> : IDisposable
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> runs = new();
    private readonly Func<TKey, CancellationToken, Task<TValue>> initialise;
    private readonly CancellationTokenSource lifetime = new();

    /// <param name="initialise">Creates the value for a key. It receives a token that is cancelled when this
    /// object is disposed, not when one caller gives up, because other callers may still want the value.</param>
    public OncePerKey(Func<TKey, CancellationToken, Task<TValue>> initialise)
    {
        ArgumentNullException.ThrowIfNull(initialise);
        this.initialise = initialise;
    }

    /// <summary>The value for <paramref name="key"/>, initialised on the first call.</summary>
    public Task<TValue> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(lifetime.IsCancellationRequested, this);
        var run = runs.GetOrAdd(key, k => new Lazy<Task<TValue>>(() => initialise(k, lifetime.Token)));
        return run.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The values whose initialisation has finished successfully, for clean-up at the end of a run.</summary>
    public IReadOnlyList<TValue> Completed() => [.. CompletedEntries().Select(entry => entry.Value)];

    /// <summary>The keys and values whose initialisation has finished successfully.</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> CompletedEntries() =>
        runs
            .Where(run => run.Value.IsValueCreated && run.Value.Value.IsCompletedSuccessfully)
            .Select(run => KeyValuePair.Create(run.Key, run.Value.Value.Result))
            .ToArray();

    public void Dispose()
    {
        lifetime.Cancel();
        lifetime.Dispose();
    }
}
