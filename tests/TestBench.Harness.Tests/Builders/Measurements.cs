using TestBench.Harness.Benchmark;
using TestBench.Harness.Ratchet;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Measurements for report and summary tests: only what those render varies.</summary>
public static class Measurements
{
    public static Measurement Of(string workflow, string test, LoadResult load, RatchetVerdict? verdict = null) => new()
    {
        Workflow = workflow,
        Test = test,
        Algorithm = "testbench/Algo/0123",
        Load = load,
        ResultBytes = 10,
        Verdict = verdict,
        At = DateTimeOffset.UnixEpoch,
    };
}
