using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Measurements for report and summary tests: only what those render varies.</summary>
public static class Measurements
{
    public static Measurement Of(string workflow, string test, LoadResult load, RatchetVerdict? verdict = null, bool noiseGuarded = false) => new()
    {
        Workflow = workflow,
        Test = test,
        Algorithm = "testbench/Algo/0123",
        Load = load,
        ResultBytes = 10,
        Judgement = verdict is { } v ? Verdict(v, noiseGuarded) : null,
        At = DateTimeOffset.UnixEpoch,
    };

    public static Judgement Verdict(RatchetVerdict verdict, bool noiseGuarded = false) => new()
    {
        Verdict = verdict,
        Reasons = [$"{verdict.ToString().ToLowerInvariant()} because the test said so"],
        Noise = noiseGuarded ? new NoiseReading { CpuSlowdown = 1.9, Disturbed = true, HasBaseline = true } : null,
        NoiseGuarded = noiseGuarded,
    };
}
