using FluentAssertions;
using TestBench.Harness.Export;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class ExportJudgeTests
{
    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Commit = "abc123", Machine = "test machine" };
    private static readonly NoiseReading Quiet = new() { CpuSlowdown = 1, Disturbed = false, HasBaseline = true };
    private static readonly NoiseReading Noisy = new() { CpuSlowdown = 1.9, Disturbed = true, HasBaseline = true };

    [Fact]
    public void Judge_NoBar_ProposesTheValueAsTheFirstBar()
    {
        var outcome = CreateSut().Judge(null, ExportMeasure.Seconds(ExportMeasure.Build, TimeSpan.FromSeconds(2.5)), Quiet, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        outcome.Proposed.Should().BeEquivalentTo(new ExportBar { Unit = "s", HigherIsBetter = false, Value = 2.5, MeasuredAt = Run.At, Commit = "abc123", Machine = "test machine" });
    }

    [Theory]
    [InlineData(2.0, 4.5, "Regressed", "build 4.5 s against the bar's 2 s (+125%): worse beyond the practical threshold of 100 % and 2 s")]
    [InlineData(2.0, 3.9, "Same", "build 3.9 s against the bar's 2 s (+95%): within the practical threshold of 100 % and 2 s")]
    [InlineData(0.3, 0.9, "Same", "build 0.9 s against the bar's 0.3 s (+200%): within the practical threshold of 100 % and 2 s")]
    [InlineData(5.0, 2.4, "Improved", "build 2.4 s against the bar's 5 s (−52%): better beyond the practical threshold of 100 % and 2 s")]
    public void Judge_Duration_WorseOrBetterByMoreThanTwiceAndTheFloor(double bar, double value, string verdict, string reason)
    {
        var outcome = CreateSut().Judge(Bar(bar, "s", higherIsBetter: false), ExportMeasure.Seconds(ExportMeasure.Build, TimeSpan.FromSeconds(value)), Quiet, Run);

        outcome.Verdict.ToString().Should().Be(verdict);
        outcome.Reason.Should().Be(reason);
        (outcome.Proposed is not null).Should().Be(verdict == "Improved", "only an improvement raises the bar");
    }

    [Fact]
    public void Judge_SpeedHalved_IsRegressedLikeADurationDoubled()
    {
        var outcome = CreateSut().Judge(Bar(100, "MB/s", higherIsBetter: true), new ExportMeasure(ExportMeasure.DataCopySpeed, 40, "MB/s", HigherIsBetter: true), Quiet, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        outcome.Reason.Should().StartWith("data copy speed 40 MB/s against the bar's 100 MB/s (−60%): worse");
    }

    [Fact]
    public void Judge_WorseOnANoisyMachine_IsInconclusiveUnlessStrict()
    {
        var measure = ExportMeasure.Milliseconds(ExportMeasure.ColdStart, 1.5);

        var lenient = CreateSut().Judge(Bar(400, "ms", higherIsBetter: false), measure, Noisy, Run);
        var strict = new ExportJudge(new VerdictPolicy { Strict = true }).Judge(Bar(400, "ms", higherIsBetter: false), measure, Noisy, Run);

        lenient.Verdict.Should().Be(RatchetVerdict.Inconclusive);
        lenient.NoiseGuarded.Should().BeTrue();
        lenient.Reason.Should().StartWith("inconclusive: machine noisy (calibration 1.9× slower); would be regressed: cold start 1500 ms");
        strict.Verdict.Should().Be(RatchetVerdict.Regressed);
    }

    [Fact]
    public void Judge_BetterOnANoisyMachine_ProposesNoRaise()
    {
        var outcome = CreateSut().Judge(Bar(10, "s", higherIsBetter: false), ExportMeasure.Seconds(ExportMeasure.Build, TimeSpan.FromSeconds(2)), Noisy, Run);

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
        outcome.Proposed.Should().BeNull();
    }

    private static ExportJudge CreateSut() => new(new VerdictPolicy());

    private static ExportBar Bar(double value, string unit, bool higherIsBetter) =>
        new() { Unit = unit, HigherIsBetter = higherIsBetter, Value = value, MeasuredAt = DateTimeOffset.UnixEpoch, Machine = "test machine" };
}
