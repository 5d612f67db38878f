using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class CeilingPolicyTests
{
    private static readonly Bar Verified = new() { SuccessRate = 1, P50Ms = 10, P95Ms = 20, P99Ms = 40, ThroughputFloor = 100 };

    [Fact]
    public void Check_NoBar_RecordsTheFirstBarWithHeadroom()
    {
        var outcome = CreateSut().Check(null, Load(p50: 0.010, p95: 0.020, p99: 0.040, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        outcome.Proposed.Should().Be(new Bar { SuccessRate = 1, P50Ms = 12.5, P95Ms = 25, P99Ms = 50, ThroughputFloor = 75 });
    }

    [Theory]
    [InlineData(1, false, false, false)]
    [InlineData(20, true, false, true)]
    [InlineData(100, true, true, true)]
    public void Check_NoBar_RecordsOnlyWhatTheCallsCanMeasure(long calls, bool p95, bool p99, bool throughput)
    {
        var outcome = CreateSut().Check(null, Load(p50: 0.010, p95: 0.020, p99: 0.040, throughput: 100, calls: calls));

        outcome.Proposed!.P50Ms.Should().Be(12.5);
        outcome.Proposed.P95Ms.HasValue.Should().Be(p95);
        outcome.Proposed.P99Ms.HasValue.Should().Be(p99);
        outcome.Proposed.ThroughputFloor.HasValue.Should().Be(throughput);
    }

    [Fact]
    public void Check_NoisyButWithinTolerance_Holds()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.014, p95: 0.029, p99: 0.059, throughput: 60));

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
        outcome.Proposed.Should().BeNull();
    }

    [Fact]
    public void Check_SlowerBeyondTolerance_FailsNamingTheMeasure()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.010, p95: 0.020, p99: 0.090, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reasons.Should().ContainSingle().Which.Should().Be("p99 90.00 ms is over the bar of 40.00 ms by more than the tolerance (100 % and 10 ms)");
    }

    [Fact]
    public void Check_TinyLatencies_NeedTheAbsoluteToleranceToo()
    {
        var tiny = Verified with { P50Ms = 0.5, P95Ms = 0.5, P99Ms = 0.5 };

        var outcome = CreateSut().Check(tiny, Load(p50: 0.008, p95: 0.008, p99: 0.008, throughput: 100));

        outcome.Verdict.Should().Be(RatchetVerdict.Same, "16× slower, but by only 7.5 ms: scheduling noise on a shared machine");
    }

    [Fact]
    public void Check_ErrorsOrLowThroughput_Fail()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.010, p95: 0.020, p99: 0.040, throughput: 40, errors: 1));

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reasons.Should().HaveCount(2).And.Contain(r => r.StartsWith("success rate", StringComparison.Ordinal)).And.Contain(r => r.StartsWith("throughput", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ClearlyBetter_RaisesTheBarButNeverLoosensAny()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.005, p95: 0.010, p99: 0.020, throughput: 200));

        outcome.Verdict.Should().Be(RatchetVerdict.Improved);
        outcome.Proposed.Should().Be(new Bar { SuccessRate = 1, P50Ms = 6.25, P95Ms = 12.5, P99Ms = 25, ThroughputFloor = 150 });
    }

    [Fact]
    public void Check_BetterOnlyOnSomeMeasures_Holds()
    {
        var outcome = CreateSut().Check(Verified, Load(p50: 0.005, p95: 0.010, p99: 0.039, throughput: 200));

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
    }

    [Fact]
    public void Check_FewerCallsThanTheBarWasSetWith_JudgesAndRaisesOnlyWhatWasMeasured()
    {
        var slowTail = CreateSut().Check(Verified, Load(p50: 0.010, p95: 0.500, p99: 0.500, throughput: 1, calls: 5));
        var fasterMiddle = CreateSut().Check(Verified, Load(p50: 0.004, p95: 0.500, p99: 0.500, throughput: 1, calls: 5));

        slowTail.Verdict.Should().Be(RatchetVerdict.Same, "five calls measure a median, not a p99 or a throughput");
        fasterMiddle.Verdict.Should().Be(RatchetVerdict.Improved);
        fasterMiddle.Proposed.Should().Be(Verified with { P50Ms = 5 }, "the ceilings five calls cannot measure are kept");
    }

    private static CeilingPolicy CreateSut() => new();

    private static LoadResult Load(double p50, double p95, double p99, double throughput, long errors = 0, long calls = 100) =>
        new LoadResultBuilder().WithLatencies(p50, p95, p99).WithThroughput(throughput).WithCalls(calls, errors).Build();
}
