using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class RatchetJudgeTests
{
    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Machine = "machine A" };
    private static readonly NoiseReading Noisy = new() { CpuSlowdown = 1.9, Disturbed = true, HasBaseline = true };

    [Fact]
    public void Judge_NoBar_ProposesTheSampleAsFirstBar()
    {
        var sample = new TestSampleBuilder().WithSingleCalls(20, medianMs: 2).Build();

        var outcome = CreateSut().Judge(null, sample, NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        outcome.Proposed!.Reference!.LatencyMs.Should().HaveCount(20);
        outcome.Proposed.Reference.Throughput.Should().BeNull("one call a trial measures latency, not throughput");
        outcome.Proposed.P50Ms.Should().BeApproximately(2 * 1.25, 0.2, "the readable ceiling keeps the policy's headroom");
    }

    [Fact]
    public void Judge_SameDistribution_IsSame()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 2).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Same, string.Join("; ", outcome.Reasons));
        outcome.Proposed.Should().BeNull();
        outcome.Reasons[0].Should().StartWith("latency p50 ").And.Contain("40 vs 40 samples; within the practical threshold of 10 % and 0.1 ms");
    }

    [Fact]
    public void Judge_TwentyPercentSlower_IsRegressedWithEffectIntervalAndPValue()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 2.4).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reasons.Should().ContainSingle().Which.Should().MatchRegex(
            @"^latency p50 \+(1[5-9]|2[0-5])(\.\d)? % \[\+\d+(\.\d)? %, \+\d+(\.\d)? %\] \(2(\.\d+)? → 2\.\d+ ms\), p = < 0\.0001, 40 vs 40 samples; beyond the practical threshold of 10 % and 0\.1 ms$");
    }

    [Fact]
    public void Judge_RegressionWhileTheMachineWaitedOnIo_SaysSoBesideTheVerdict()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());
        var slower = new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 2.4).Build();
        var withIo = NoiseReading.Unmeasured with { Io = new IoActivity { StallMs = 1234.5, RefaultedMebibytes = 56.2 } };
        var withoutIo = NoiseReading.Unmeasured with { Io = new IoActivity { StallMs = 0.4, RefaultedMebibytes = 0 } };

        var outcome = CreateSut().Judge(bar, slower, withIo, Run);
        var quiet = CreateSut().Judge(bar, slower, withoutIo, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed, "I/O is recorded, not judged");
        outcome.Reasons.Should().HaveCount(2).And.HaveElementAt(1,
            "this machine waited on I/O for 1234.5 ms and re-read 56.2 MiB of evicted files during the trials (recorded, not judged)");
        quiet.Reasons.Should().ContainSingle("under a millisecond of stall and no refaults is not worth a sentence");
    }

    [Fact]
    public void Judge_FasterSample_IsImprovedAndTheRaiseNeverLoosens()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithLoadTrials(10, callsPerTrial: 50, medianMs: 2, callsPerSecond: 1000).Build());

        // Latency much better, throughput the same: only the latency sample is replaced.
        var faster = new TestSampleBuilder(seed: 2).WithLoadTrials(10, callsPerTrial: 50, medianMs: 1, callsPerSecond: 1000).Build();
        var outcome = CreateSut().Judge(bar, faster, NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Improved, string.Join("; ", outcome.Reasons));
        outcome.Proposed!.Reference!.LatencyMs.Max().Should().BeLessThan(1.1);
        outcome.Proposed.Reference.Throughput.Should().Equal(bar.Reference!.Throughput, "throughput was not shown better, so its sample stays");
        outcome.Proposed.ThroughputFloor.Should().BeGreaterThanOrEqualTo(bar.ThroughputFloor!.Value);
        outcome.Proposed.P50Ms.Should().BeLessThan(bar.P50Ms);
    }

    [Fact]
    public void Judge_ThroughputDropped_IsRegressedOnThroughput()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithLoadTrials(10, callsPerTrial: 50, medianMs: 2, callsPerSecond: 1000).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithLoadTrials(10, callsPerTrial: 50, medianMs: 2, callsPerSecond: 700).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reasons.Should().ContainSingle(r => r.StartsWith("throughput −", StringComparison.Ordinal) && r.Contains("calls/s", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_RegressionOnNoisyMachine_IsInconclusiveAndSaysSo()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 3).Build(), Noisy, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        outcome.NoiseGuarded.Should().BeTrue();
        outcome.Reasons[0].Should().Be("inconclusive: machine noisy (calibration 1.9× slower)");
        outcome.Reasons[1].Should().StartWith("would be regressed: latency p50 +");
    }

    [Fact]
    public void Judge_RegressionOnNoisyMachineInStrictMode_IsRegressed()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut(new VerdictPolicy { Strict = true }).Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 3).Build(), Noisy, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reasons[^1].Should().Be("the machine was noisy (calibration 1.9× slower), and strict mode fails it anyway");
    }

    [Fact]
    public void Judge_ImprovementOnNoisyMachine_ProposesNoRaise()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 1).Build(), Noisy, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
        outcome.Proposed.Should().BeNull();
        outcome.Reasons.Should().ContainSingle().Which.Should().EndWith("better, but no raise is proposed from a noisy machine (calibration 1.9× slower)");
    }

    [Fact]
    public void Judge_TinySamples_AreInconclusiveHoweverDifferent()
    {
        var bar = BarOf(new TestSampleBuilder().WithExactCalls(1, 1, 1).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder().WithExactCalls(50, 50, 50).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        outcome.NoiseGuarded.Should().BeFalse();
        outcome.Reasons.Should().ContainSingle().Which.Should().StartWith("undecided: latency p50 +4900 %").And.EndWith("3 vs 3 samples; more trials could tell");
    }

    [Fact]
    public void Judge_ConstantEqualSamples_AreSame()
    {
        var bar = BarOf(new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(5.0, 20)]).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(5.0, 20)]).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Same, string.Join("; ", outcome.Reasons));
        outcome.Reasons[0].Should().StartWith("latency p50 +0 % [+0 %, +0 %] (5 → 5 ms)");
    }

    [Fact]
    public void Judge_ConstantSamplesApart_AreRegressed()
    {
        var bar = BarOf(new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(5.0, 20)]).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(6.0, 20)]).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
    }

    [Fact]
    public void Judge_HeavyTiesWithinTheThreshold_AreSame()
    {
        // Timer-resolution ties: the same three values, in different proportions, 5 % apart at most.
        var bar = BarOf(new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(2.0, 15), .. Enumerable.Repeat(2.05, 15), .. Enumerable.Repeat(2.1, 10)]).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder().WithExactCalls([.. Enumerable.Repeat(2.0, 10), .. Enumerable.Repeat(2.05, 15), .. Enumerable.Repeat(2.1, 15)]).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Same, string.Join("; ", outcome.Reasons));
    }

    [Fact]
    public void Judge_BelowTheAbsoluteFloor_IsNotARegression()
    {
        // +20 % of 0.2 ms is 0.04 ms, under the 0.1 ms floor: scheduling noise, not a regression.
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 0.2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 0.24).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().NotBe(RatchetVerdict.Regressed);
    }

    [Fact]
    public void Judge_BarWithMeasuredRunToRunNoise_UsesItAsThePracticalThreshold()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build()) with { Noise = new RunToRunNoise { Latency = 0.5, Runs = 10 } };

        var within = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 2.6).Build(), NoiseReading.Unmeasured, Run);
        var beyond = CreateSut().Judge(bar, new TestSampleBuilder(seed: 3).WithSingleCalls(40, medianMs: 4).Build(), NoiseReading.Unmeasured, Run);

        within.Verdict.Should().NotBe(RatchetVerdict.Regressed, "30 % is inside the 50 % this test drifts between unchanged runs");
        beyond.Verdict.Should().Be(RatchetVerdict.Regressed);
        beyond.Reasons[0].Should().EndWith("beyond the practical threshold of 50 % and 0.1 ms");
    }

    [Fact]
    public void Judge_WithinThresholdButNotShownWithin_IsUndecided()
    {
        // 8 % slower with ±15 % spread: neither beyond 10 % nor shown within it from 10 samples.
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSpread(0.15).WithSingleCalls(10, medianMs: 5).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSpread(0.15).WithSingleCalls(10, medianMs: 5.4).Build(), NoiseReading.Unmeasured, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        outcome.NoiseGuarded.Should().BeFalse();
        outcome.Reasons[0].Should().StartWith("undecided: latency p50 +");
    }

    [Fact]
    public void Judge_BarFromAnotherMachine_WarnsAndStillJudges()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithSingleCalls(40, medianMs: 2).Build());

        var outcome = CreateSut().Judge(bar, new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 2).Build(), NoiseReading.Unmeasured, Run with { Machine = "machine B" });

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
        outcome.Reasons[^1].Should().Be("warning: the bar was measured on another machine (machine A); this run is on machine B");
    }

    [Fact]
    public void A_lasting_improvement_in_the_history_raises_the_latency_reference_to_this_runs_and_keeps_the_throughput_one()
    {
        var bar = BarOf(new TestSampleBuilder(seed: 1).WithLoadTrials(10, callsPerTrial: 50, medianMs: 2, callsPerSecond: 1000).Build());
        var faster = new TestSampleBuilder(seed: 2).WithLoadTrials(10, callsPerTrial: 50, medianMs: 1.9, callsPerSecond: 1000).Build();

        var outcome = CreateSut().RaiseOnHistory(bar, faster, Run, "improved: p50 0.930× since …")!;

        outcome.Verdict.Should().Be(RatchetVerdict.Improved);
        outcome.Proposed!.Reference!.LatencyMs.Should().HaveCount(faster.LatenciesMs.Count, "this run's calls are the new reference");
        outcome.Proposed.Reference.LatencyMs.Order().ElementAt(250).Should().BeApproximately(1.9, 0.05);
        outcome.Proposed.Reference.Throughput.Should().Equal(bar.Reference!.Throughput);
        outcome.Reasons.Should().ContainSingle().Which.Should().Be("within the bar in this run, but the history shows a lasting improvement: improved: p50 0.930× since …");
    }

    [Fact]
    public void The_history_raises_no_bar_that_is_not_there()
    {
        CreateSut().RaiseOnHistory(null, new TestSampleBuilder().WithSingleCalls(20, medianMs: 2).Build(), Run, "improved").Should().BeNull();
    }

    private static RatchetJudge CreateSut(VerdictPolicy? policy = null) => new(policy ?? new VerdictPolicy(), new CeilingPolicy());

    private static Bar BarOf(TestSample sample) => CreateSut().Judge(null, sample, NoiseReading.Unmeasured, Run).Proposed!;
}
