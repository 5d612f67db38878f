using FluentAssertions;
using TestBench.Harness.Benchmark;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Ratchet;

public sealed class RatchetPolicyTests
{
    private static readonly Bar Verified = new() { SuccessRate = 1, P50Ms = 10, P95Ms = 20, P99Ms = 40, ThroughputFloor = 100 };

    [Fact]
    public void Check_NoBar_RecordsTheFirstBarWithHeadroom()
    {
        var outcome = CreateSut().Check(null, Load(p50: 0.010, p95: 0.020, p99: 0.040, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        outcome.Proposed.Should().Be(new Bar { SuccessRate = 1, P50Ms = 11, P95Ms = 22, P99Ms = 44, ThroughputFloor = 90 });
    }

    [Fact]
    public void Check_NoisyButWithinTolerance_Holds()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.014, p95: 0.029, p99: 0.059, throughput: 60));

        outcome.Verdict.Should().Be(RatchetVerdict.Held);
        outcome.Proposed.Should().BeNull();
    }

    [Fact]
    public void Check_SlowerBeyondTolerance_FailsNamingTheMeasure()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.010, p95: 0.020, p99: 0.090, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.Failed);
        outcome.Reasons.Should().ContainSingle().Which.Should().Be("p99 90.00 ms is over the bar of 40.00 ms by more than the tolerance (50 % and 2 ms)");
    }

    [Fact]
    public void Check_TinyLatencies_NeedTheAbsoluteToleranceToo()
    {
        var tiny = Verified with { P50Ms = 0.5, P95Ms = 0.5, P99Ms = 0.5 };

        var outcome = CreateSut().Check(tiny, Load(p50: 0.0015, p95: 0.0015, p99: 0.0015, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.Held, "3× slower, but by only 1 ms: noise on a shared machine");
    }

    [Fact]
    public void Check_ErrorsOrLowThroughput_Fail()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.010, p95: 0.020, p99: 0.040, throughput: 40, errors: 1));

        outcome.Verdict.Should().Be(RatchetVerdict.Failed);
        outcome.Reasons.Should().HaveCount(2).And.Contain(r => r.StartsWith("success rate", StringComparison.Ordinal)).And.Contain(r => r.StartsWith("throughput", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ClearlyBetter_RaisesTheBarButNeverLoosensAny()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.005, p95: 0.010, p99: 0.020, throughput: 200));

        outcome.Verdict.Should().Be(RatchetVerdict.Raised);
        outcome.Proposed.Should().Be(new Bar { SuccessRate = 1, P50Ms = 5.5, P95Ms = 11, P99Ms = 22, ThroughputFloor = 180 });
    }

    [Fact]
    public void Check_BetterOnlyOnSomeMeasures_Holds()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.005, p95: 0.010, p99: 0.039, throughput: 200));

        outcome.Verdict.Should().Be(RatchetVerdict.Held);
    }

    private static RatchetPolicy CreateSut() => new();

    private static LoadResult Load(double p50, double p95, double p99, double throughput, long errors = 0) =>
        new LoadResultBuilder().WithLatencies(p50, p95, p99).WithThroughput(throughput).WithCalls(100, errors).Build();
}
