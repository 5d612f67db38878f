using TestBench.Harness.Measuring;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Builds measured loads: <c>new LoadResultBuilder().WithLatencies(0.01, 0.02, 0.04).WithThroughput(100).Build()</c>.</summary>
public sealed class LoadResultBuilder
{
    private double p50 = 0.01;
    private double p95 = 0.01;
    private double p99 = 0.01;
    private double throughput = 100;
    private long calls = 100;
    private long errors;

    /// <summary>One latency (seconds) at every percentile.</summary>
    public LoadResultBuilder WithLatency(double seconds) => WithLatencies(seconds, seconds, seconds);

    /// <summary>Latencies in seconds at p50, p95 and p99 (p90 is taken as p95, max as p99).</summary>
    public LoadResultBuilder WithLatencies(double atP50, double atP95, double atP99)
    {
        (p50, p95, p99) = (atP50, atP95, atP99);
        return this;
    }

    public LoadResultBuilder WithThroughput(double callsPerSecond)
    {
        throughput = callsPerSecond;
        return this;
    }

    public LoadResultBuilder WithCalls(long count, long failed = 0)
    {
        (calls, errors) = (count, failed);
        return this;
    }

    public LoadResult Build() => new()
    {
        Calls = calls,
        Errors = errors,
        Throughput = throughput,
        P50 = p50,
        P90 = p95,
        P95 = p95,
        P99 = p99,
        Max = p99,
    };
}
