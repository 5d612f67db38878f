using TestBench.Harness.Measuring;

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
            trials.Add(Trial([seconds], seconds));
        }

        return this;
    }

    /// <summary>One-call trials with exactly these latencies (ms).</summary>
    public TestSampleBuilder WithExactCalls(params double[] milliseconds)
    {
        trials.AddRange(milliseconds.Select(ms => Trial([ms / 1000], ms / 1000)));
        return this;
    }

    /// <summary>Trials of <paramref name="callsPerTrial"/> calls around <paramref name="medianMs"/>, each lasting so its
    /// throughput is around <paramref name="callsPerSecond"/>.</summary>
    public TestSampleBuilder WithLoadTrials(int count, int callsPerTrial, double medianMs, double callsPerSecond)
    {
        for (var i = 0; i < count; i++)
        {
            var latencies = Enumerable.Range(0, callsPerTrial).Select(_ => Around(medianMs) / 1000).ToArray();
            trials.Add(Trial(latencies, callsPerTrial / Around(callsPerSecond)));
        }

        return this;
    }

    public TestSample Build() => new() { Trials = [.. trials] };

    /// <summary>A trial of calls with these latencies (seconds); the last <paramref name="failed"/> of them failed.</summary>
    public static Trial Trial(IReadOnlyList<double> latencies, double elapsed, int failed = 0, string? firstError = null) => new()
    {
        Records = [.. latencies.Select((seconds, i) => new CallRecord(0, seconds, i >= latencies.Count - failed ? CallOutcome.Failed : CallOutcome.Succeeded))],
        ElapsedSeconds = elapsed,
        FirstError = firstError,
    };

    private double Around(double median) => median * (1 + spread * (2 * random.NextDouble() - 1));
}
