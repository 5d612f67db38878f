using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class RatchetBookTests : IDisposable
{
    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Commit = "abc123", Machine = "test machine" };
    private static readonly CalibrationSample Calibration = new() { CpuMs = [1, 1.1], MeasuredAt = DateTimeOffset.UnixEpoch, Machine = "test machine" };
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-ratchet-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Record_NoVerifiedFile_WritesReceivedWithSampleAndCalibrationAndLeavesVerifiedAlone()
    {
        var sut = CreateSut();
        var before = sut.ReceivedPath;

        var outcome = Judge(sut, "t1", new TestSampleBuilder().WithSingleCalls(20, medianMs: 10).Build());
        var note = sut.Record("t1", outcome, Calibration);

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        before.Should().BeNull("nothing was proposed yet");
        sut.ReceivedPath.Should().Be(Path.Combine(directory, "wf.ratchet.received.json"));
        var folder = Path.GetFileName(directory);
        note.Should().Contain("first bar recorded").And.EndWith($"Accept it with: mv {folder}/wf.ratchet.received.json {folder}/wf.ratchet.json");
        File.Exists(Path.Combine(directory, "wf.ratchet.json")).Should().BeFalse();
        var received = BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json"));
        received.Tests["t1"].Reference!.LatencyMs.Should().HaveCount(20).And.BeInAscendingOrder();
        received.Tests["t1"].Reference!.Commit.Should().Be("abc123");
        received.Tests["t1"].Reference!.Machine.Should().Be("test machine");
        received.Calibration.Should().BeEquivalentTo(Calibration);
    }

    [Fact]
    public void Record_Improved_KeepsOtherVerifiedBarsAndTheVerifiedFileUntouched()
    {
        var slow = Bar(new TestSampleBuilder().WithSingleCalls(40, medianMs: 10).Build());
        var other = new Bar { SuccessRate = 0.9, P50Ms = 7 };
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), new BarDocument(new Dictionary<string, Bar> { ["fast"] = slow, ["other"] = other }) { Calibration = Calibration });
        var before = File.ReadAllText(Path.Combine(directory, "wf.ratchet.json"));
        var sut = CreateSut();

        var outcome = Judge(sut, "fast", new TestSampleBuilder(seed: 2).WithSingleCalls(40, medianMs: 5).Build());
        sut.Record("fast", outcome, Calibration);
        var received = BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json"));

        outcome.Verdict.Should().Be(RatchetVerdict.Improved, string.Join("; ", outcome.Reasons));
        received.Tests["fast"].P50Ms.Should().BeLessThan(slow.P50Ms);
        received.Tests["fast"].Reference!.LatencyMs.Max().Should().BeLessThan(6);
        received.Tests["other"].Should().Be(other);
        File.ReadAllText(Path.Combine(directory, "wf.ratchet.json")).Should().Be(before, "bars never change in place");
    }

    [Fact]
    public void Record_Regressed_ProposesNothing()
    {
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), new BarDocument(new Dictionary<string, Bar> { ["t"] = Bar(new TestSampleBuilder().WithSingleCalls(40, medianMs: 10).Build()) }));
        var sut = CreateSut();

        var outcome = Judge(sut, "t", new TestSampleBuilder(seed: 3).WithSingleCalls(40, medianMs: 13).Build());
        var note = sut.Record("t", outcome, Calibration);

        outcome.Verdict.Should().Be(RatchetVerdict.Regressed);
        note.Should().StartWith("bar of 't': regressed: latency p50 +");
        sut.ReceivedPath.Should().BeNull();
        File.Exists(Path.Combine(directory, "wf.ratchet.received.json")).Should().BeFalse();
    }

    [Fact]
    public void Record_LegacyBarWithoutReference_IsJudgedByCeilingsAndGainsItsSample()
    {
        File.WriteAllText(Path.Combine(directory, "wf.ratchet.json"), """{"tests": {"t": {"success_rate": 1, "p50_ms": 12}}}""");
        var sut = CreateSut();

        var outcome = Judge(sut, "t", new TestSampleBuilder().WithSingleCalls(20, medianMs: 10).Build());
        var note = sut.Record("t", outcome, Calibration);

        outcome.Verdict.Should().Be(RatchetVerdict.Same);
        outcome.Reasons.Should().Contain("the bar has no reference sample yet, so it was judged by its ceilings");
        note.Should().Contain("reference sample added to the bar");
        var received = BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json")).Tests["t"];
        received.P50Ms.Should().Be(12, "adding evidence never loosens a ceiling");
        received.Reference.Should().NotBeNull();
    }

    [Fact]
    public void RecordExport_FirstMeasures_WritesThemBesideTheTestBarsAndKeepsThem()
    {
        var sut = CreateSut();
        sut.Record("t1", Judge(sut, "t1", new TestSampleBuilder().WithSingleCalls(20, medianMs: 10).Build()), Calibration);

        var (outcomes, note) = sut.RecordExport("hello", [Harness.Export.ExportMeasure.Seconds("build", TimeSpan.FromSeconds(3)), Harness.Export.ExportMeasure.Milliseconds("cold start", 0.4)], [Calibration]);

        outcomes.Select(o => o.Verdict).Should().Equal(RatchetVerdict.FirstBar, RatchetVerdict.FirstBar);
        note.Should().StartWith("export bars of hello: build first bar, cold start first bar; written to");
        var received = BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json"));
        received.Tests.Keys.Should().Equal("t1");
        received.Exports!["hello"]["build"].Value.Should().Be(3);
        received.Exports["hello"]["cold start"].Should().BeEquivalentTo(new ExportBar { Unit = "ms", HigherIsBetter = false, Value = 400, MeasuredAt = Run.At, Commit = "abc123", Machine = "test machine" });
    }

    [Fact]
    public void RecordExport_SameAsTheBar_ProposesNothing()
    {
        var bar = new ExportBar { Unit = "s", HigherIsBetter = false, Value = 3, MeasuredAt = Run.At, Machine = "test machine" };
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), new BarDocument(new Dictionary<string, Bar>()) { Exports = new Dictionary<string, IReadOnlyDictionary<string, ExportBar>> { ["hello"] = new Dictionary<string, ExportBar> { ["build"] = bar } } });
        var sut = CreateSut();

        var (outcomes, note) = sut.RecordExport("hello", [Harness.Export.ExportMeasure.Seconds("build", TimeSpan.FromSeconds(3.5))], [Calibration]);

        outcomes.Should().ContainSingle().Which.Verdict.Should().Be(RatchetVerdict.Same);
        note.Should().BeNull();
        sut.ReceivedPath.Should().BeNull();
    }

    [Theory]
    [InlineData(1100.0, RatchetVerdict.Regressed, "cold start 1100 ms")]
    [InlineData(130.0, RatchetVerdict.Inconclusive, "a regression not confirmed by a second export: the first measured cold start 990 ms")]
    [InlineData(null, RatchetVerdict.Inconclusive, "the second did not measure it")]
    public void ConfirmExport_ARegression_StandsOnlyWhenTheSecondExportRegressesToo(double? secondMs, RatchetVerdict expected, string reasonPart)
    {
        var bar = new ExportBar { Unit = "ms", HigherIsBetter = false, Value = 113, MeasuredAt = Run.At, Machine = "test machine" };
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), new BarDocument(new Dictionary<string, Bar>())
        {
            Calibration = Calibration,
            Exports = new Dictionary<string, IReadOnlyDictionary<string, ExportBar>> { ["hello"] = new Dictionary<string, ExportBar> { ["cold start"] = bar } },
        });
        var sut = CreateSut();
        var (first, _) = sut.RecordExport("hello", [Harness.Export.ExportMeasure.Milliseconds("cold start", 0.990), Harness.Export.ExportMeasure.Seconds("build", TimeSpan.FromSeconds(1))], [Calibration]);
        Harness.Export.ExportMeasure[] second = secondMs is { } ms ? [Harness.Export.ExportMeasure.Milliseconds("cold start", ms / 1000)] : [];

        var confirmed = sut.ConfirmExport("hello", first, second, [Calibration]);

        first[0].Verdict.Should().Be(RatchetVerdict.Regressed);
        confirmed[0].Verdict.Should().Be(expected);
        confirmed[0].Reason.Should().Contain(reasonPart);
        confirmed[0].Proposed.Should().BeNull();
        confirmed[1].Should().Be(first[1], "only regressions are confirmed");
    }

    [Fact]
    public void RecordExport_MachineSlowBeforeTheExport_IsNoiseGuardedNotRegressed()
    {
        var bar = new ExportBar { Unit = "s", HigherIsBetter = false, Value = 1, MeasuredAt = Run.At, Machine = "test machine" };
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), new BarDocument(new Dictionary<string, Bar>())
        {
            Calibration = Calibration,
            Exports = new Dictionary<string, IReadOnlyDictionary<string, ExportBar>> { ["hello"] = new Dictionary<string, ExportBar> { ["build"] = bar } },
        });
        var slow = Calibration with { CpuMs = [3, 3.2] };

        var (outcomes, _) = CreateSut().RecordExport("hello", [Harness.Export.ExportMeasure.Seconds("build", TimeSpan.FromSeconds(5))], [slow, Calibration]);

        outcomes.Should().ContainSingle().Which.Should().Match<ExportOutcome>(o => o.Verdict == RatchetVerdict.Inconclusive && o.NoiseGuarded);
    }

    private RatchetBook CreateSut() => new(directory, "wf", new RatchetJudge(new VerdictPolicy(), new CeilingPolicy()), Run);

    private static RatchetOutcome Judge(RatchetBook book, string test, Harness.Measuring.TestSample sample) =>
        book.Judge.Judge(book.BarOf(test), sample, NoiseReading.Unmeasured, Run);

    private static Bar Bar(Harness.Measuring.TestSample sample) =>
        new RatchetJudge(new VerdictPolicy(), new CeilingPolicy()).Judge(null, sample, NoiseReading.Unmeasured, Run).Proposed!;
}
