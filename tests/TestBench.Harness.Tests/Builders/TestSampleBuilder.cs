using TestBench.Harness.Benchmark;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// Synthetic samples for verdict tests: <c>new TestSampleBuilder().WithSingleCalls(40, medianMs: 2).Build()</c> makes 40
/// one-call trials around 2 ms; <c>WithLoadTrials</c> makes trials of many calls with a throughput each. Spread is
/// seeded, so every test sees the same numbers every time.
/// </summary>
public sealed class TestSampleBuilder
{
    private readonly List<Trial> trials = [];
    private readonly Random random;
    private double spread = 0.05;

    public TestSampleBuilder(int seed = 1) => random = new Random(seed);

    /// <summary>Relative spread of each value around its median (uniform ±). <value>Default 0.05.</value></summary>
    public TestSampleBuilder WithSpread(double relative)
    {
        spread = relative;
        return this;
    }

    /// <summary>Trials of one call each, around <paramref name="medianMs"/>.</summary>
    public TestSampleBuilder WithSingleCalls(int count, double medianMs)
    {
        for (var i = 0; i < count; i++)
        {
            var seconds = Around(medianMs) / 1000;
            trials.Add(new Trial { Latencies = [seconds], Errors = 0, ElapsedSeconds = seconds });
        }

        return this;
    }

    /// <summary>One-call trials with exactly these latencies (ms).</summary>
    public TestSampleBuilder WithExactCalls(params double[] milliseconds)
    {
        trials.AddRange(milliseconds.Select(ms => new Trial { Latencies = [ms / 1000], Errors = 0, ElapsedSeconds = ms / 1000 }));
        return this;
    }

    /// <summary>Trials of <paramref name="callsPerTrial"/> calls around <paramref name="medianMs"/>, each lasting so its
    /// throughput is around <paramref name="callsPerSecond"/>.</summary>
    public TestSampleBuilder WithLoadTrials(int count, int callsPerTrial, double medianMs, double callsPerSecond)
    {
        for (var i = 0; i < count; i++)
        {
            var latencies = Enumerable.Range(0, callsPerTrial).Select(_ => Around(medianMs) / 1000).ToArray();
            trials.Add(new Trial { Latencies = latencies, Errors = 0, ElapsedSeconds = callsPerTrial / Around(callsPerSecond) });
        }

        return this;
    }

    public TestSample Build() => new() { Trials = [.. trials] };

    private double Around(double median) => median * (1 + spread * (2 * random.NextDouble() - 1));
}
