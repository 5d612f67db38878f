namespace TestBench.Harness.Benchmark;

/// <summary>One run of a test's calls (<c>repeat</c> calls from <c>concurrency</c> callers): every counted call's latency.</summary>
public sealed record Trial
{
    /// <summary>Wall latency of every counted call, in seconds, in the order the calls finished.</summary>
    public required IReadOnlyList<double> Latencies { get; init; }

    public required long Errors { get; init; }

    /// <summary>The first error message, when there were errors.</summary>
    public string? FirstError { get; init; }

    /// <summary>Seconds from the first call's start to the last call's end.</summary>
    public required double ElapsedSeconds { get; init; }

    public long Calls => Latencies.Count;

    /// <summary>Successful calls per second of the trial.</summary>
    public double Throughput => ElapsedSeconds > 0 ? (Calls - Errors) / ElapsedSeconds : 0;
}
