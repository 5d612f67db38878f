using System.Collections.Concurrent;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Isolation;
using TestBench.LocalCluster.LangServer;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The cluster's warm workers: one <see cref="WorkerPool"/> per built algorithm version, created on its first
/// call. Each pool's workers get the cluster's address and a key of their own, bound to the algorithm, so
/// algorithms can call the data API and other algorithms (pipelines) as their owner.
/// </summary>
public sealed class AlgorithmRuntime(RuntimeOptions options, ApiKeys keys, RuntimeMetrics metrics, SandboxChoice sandbox, EnvironmentCatalog environments, TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(WorkerPool Pool, string Key)>> pools = new(StringComparer.Ordinal);
    private readonly long started = time.GetTimestamp();

    /// <summary>
    /// Holds a call from outside the cluster until the end of the <see cref="RuntimeOptions.Stall"/> window it arrived
    /// in, if it arrived in one.
    /// </summary>
    public Task StallAsync(bool fromAlgorithm, CancellationToken cancellationToken)
    {
        if (options.Stall is not { } stall || fromAlgorithm)
        {
            return Task.CompletedTask;
        }

        var intoPeriod = TimeSpan.FromTicks(time.GetElapsedTime(started).Ticks % stall.Every.Ticks);
        return intoPeriod < stall.For ? Task.Delay(stall.For - intoPeriod, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Holds a call from outside the cluster <see cref="RuntimeOptions.Slowdown"/> − 1 times as long again as it has
    /// taken since <paramref name="arrived"/> (a timestamp of this runtime's clock). Calls an algorithm makes to another
    /// (pipelines) are not held, so a pipeline is slowed by the factor once, not once per level.
    /// </summary>
    public async Task SlowDownAsync(long arrived, bool fromAlgorithm, CancellationToken cancellationToken)
    {
        if (options.Slowdown <= 1 || fromAlgorithm)
        {
            return;
        }

        // Timers tick in whole milliseconds and calls take a fraction of one: sleep the bulk, spin the rest precisely.
        var until = time.GetTimestamp() + (long)(time.GetElapsedTime(arrived).Ticks * (options.Slowdown - 1) * time.TimestampFrequency / TimeSpan.TicksPerSecond);
        var sleep = TimeSpan.FromTicks((until - time.GetTimestamp()) * TimeSpan.TicksPerSecond / time.TimestampFrequency) - TimeSpan.FromMilliseconds(2);
        if (sleep > TimeSpan.Zero)
        {
            await Task.Delay(sleep, time, cancellationToken).ConfigureAwait(false);
        }

        while (time.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
        {
            Thread.SpinWait(50);
        }
    }

    /// <summary>A timestamp of the runtime's clock, for <see cref="SlowDownAsync"/>.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>The cluster's own address, set once the server listens.</summary>
    public Uri? ClusterAddress { get; set; }

    /// <summary>The pools, for queue-length metrics.</summary>
    public IEnumerable<WorkerPool> Pools => pools.Values.Where(p => p.IsValueCreated).Select(p => p.Value.Pool);

    /// <summary>The pool for a successful build.</summary>
    public WorkerPool PoolFor(AlgorithmRecord algorithm, BuildRecord build)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(build);
        var label = $"{algorithm.Owner}/{algorithm.Name}/{build.CommitSha}";
        return pools.GetOrAdd(build.BuildId, _ => new Lazy<(WorkerPool, string)>(() => Create(algorithm, build, label))).Value.Pool;
    }

    /// <summary>Stops every worker of an algorithm (when it is deleted).</summary>
    public async Task StopAsync(AlgorithmRecord algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var buildIds = AlgorithmRegistry.Read(algorithm, a => a.Builds.Select(b => b.BuildId).ToArray());
        foreach (var buildId in buildIds)
        {
            if (pools.TryRemove(buildId, out var entry) && entry.IsValueCreated)
            {
                keys.Revoke(entry.Value.Key);
                await entry.Value.Pool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in pools.Values.Where(p => p.IsValueCreated))
        {
            await entry.Value.Pool.DisposeAsync().ConfigureAwait(false);
        }

        pools.Clear();
    }

    private (WorkerPool, string) Create(AlgorithmRecord algorithm, BuildRecord build, string label)
    {
        var key = keys.IssueAlgorithmKey(algorithm.Owner, algorithm.Name);
        var spec = new WorkerSpec
        {
            Label = label,
            AlgorithmName = algorithm.Name,
            Directory = build.CodeDirectory,
            Python = build.Python ?? throw new InvalidOperationException($"Build {build.BuildId} of {label} has no interpreter."),
            BaseInterpreter = environments.Find(algorithm.EnvironmentId) is { } environment
                ? environments.InterpreterOf(environment)
                : throw new InvalidOperationException($"{label} was built in environment {algorithm.EnvironmentId}, which this cluster does not have."),
            Environment = new Dictionary<string, string>
            {
                ["ALGORITHMIA_API"] = ClusterAddress?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("The cluster address is not known yet."),
                ["ALGORITHMIA_API_KEY"] = key,
            },
            Sandbox = sandbox.Sandbox,
        };
        return (new WorkerPool(spec, options, LangServerHost.RunnerPath, time, metrics), key);
    }
}
