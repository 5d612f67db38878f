using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class NoiseGuardTests
{
    private static readonly CalibrationSample Baseline = Sample(cpu: 10);

    [Fact]
    public void Assess_ReadingsLikeTheBaseline_AreQuiet()
    {
        var reading = new NoiseGuard(Baseline, new VerdictPolicy()).Assess([Sample(10.5), Sample(9.8)]);

        reading.Disturbed.Should().BeFalse();
        reading.CpuSlowdown.Should().Be(1.05);
        reading.HasBaseline.Should().BeTrue();
    }

    [Fact]
    public void Assess_OneSlowCpuReading_IsDisturbedAndNamesTheWorst()
    {
        var reading = new NoiseGuard(Baseline, new VerdictPolicy()).Assess([Sample(10), Sample(19)]);

        reading.Disturbed.Should().BeTrue();
        reading.Describe().Should().Be("calibration 1.9× slower");
    }

    [Fact]
    public void Assess_JustOverTheLimit_IsDisturbed()
    {
        var guard = new NoiseGuard(Baseline, new VerdictPolicy());

        guard.Assess([Sample(12.5)]).Disturbed.Should().BeFalse("1.25× is the limit itself");
        guard.Assess([Sample(12.6)]).Disturbed.Should().BeTrue();
    }

    [Fact]
    public void Assess_NoBaselineOrAnotherMachine_IsUnmeasured()
    {
        new NoiseGuard(null, new VerdictPolicy()).Assess([Sample(50)]).Should().Be(NoiseReading.Unmeasured);
        new NoiseGuard(Baseline with { Machine = "other" }, new VerdictPolicy()).Assess([Sample(50)]).Describe().Should().Be("no calibration baseline of this machine");
    }

    [Fact]
    public void Measure_OnThisMachine_TimesEveryRepetition()
    {
        var sample = Calibration.Measure(new RunIdentity { At = DateTimeOffset.UnixEpoch, Machine = "here" });

        sample.CpuMs.Should().HaveCount(7).And.OnlyContain(ms => ms > 0);
        sample.WakeMs.Should().HaveCount(25).And.OnlyContain(ms => ms > 0);
        sample.Machine.Should().Be("here");
    }

    [Fact]
    public void Assess_RecordsTheSlowestReadingsWakeMedian_WithOrWithoutABaseline_ButDoesNotJudgeIt()
    {
        var quietCpuSlowWake = Sample(10) with { WakeMs = [0.5, 0.9, 0.6] };
        var guard = new NoiseGuard(Baseline, new VerdictPolicy());

        var reading = guard.Assess([Sample(10) with { WakeMs = [0.05, 0.06, 0.07] }, quietCpuSlowWake]);

        reading.WakeMedianMs.Should().Be(0.6);
        reading.Disturbed.Should().BeFalse();
        new NoiseGuard(null, new VerdictPolicy()).Assess([quietCpuSlowWake]).WakeMedianMs.Should().Be(0.6);
        guard.Assess([Sample(10)]).WakeMedianMs.Should().BeNull("samples from before the probe have no wake timings");
    }

    private static CalibrationSample Sample(double cpu) => new()
    {
        CpuMs = [cpu * 0.99, cpu, cpu * 1.01],
        MeasuredAt = DateTimeOffset.UnixEpoch,
        Machine = "m",
    };
}
