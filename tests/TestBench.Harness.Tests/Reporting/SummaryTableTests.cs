using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class SummaryTableTests
{
    [Fact]
    public void Render_Measurements_OneAlignedRowEachWithTheVerdict()
    {
        var measurements = new[]
        {
            Measurements.Of("image_benchmark", "40 calls in 5 min", new LoadResultBuilder().WithCalls(40).WithLatency(0.0123).Build(), RatchetVerdict.Same),
            Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.0011).Build(), RatchetVerdict.Improved),
            Measurements.Of("hello_world", "broken", new LoadResultBuilder().WithCalls(5, failed: 5).Build(), null),
        };

        var lines = SummaryTable.Render(measurements).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        lines.Should().HaveCount(4);
        lines[0].Should().Be("workflow         test               calls  errors  calls/s  p50 ms  p95 ms  p99 ms  verdict");
        lines[1].Should().Be("hello_world      basic test           100       0    100.0    1.10    1.10    1.10  improved (raised bar written)");
        lines[2].Should().Be("hello_world      broken                 5       5    100.0   10.00   10.00   10.00  not judged: calls failed");
        lines[3].Should().Be("image_benchmark  40 calls in 5 min     40       0    100.0   12.30   12.30   12.30  same");
    }

    [Fact]
    public void Render_SeveralTargets_PutsEachTestsRowsSideBySideWithATargetColumn()
    {
        var measurements = new[]
        {
            Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.0011).Build(), RatchetVerdict.Same),
            Measurements.Of("hello_world", "200 calls", new LoadResultBuilder().WithLatency(0.0020).Build(), RatchetVerdict.Same),
            Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.0013).Build(), RatchetVerdict.Same) with { Target = "racetrack" },
            Measurements.Of("hello_world", "200 calls", new LoadResultBuilder().WithLatency(0.0031).Build(), RatchetVerdict.Same) with { Target = "racetrack" },
        };

        var lines = SummaryTable.Render(measurements).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        lines.Should().Equal(
            "workflow     test        target     calls  errors  calls/s  p50 ms  p95 ms  p99 ms  verdict",
            "hello_world  200 calls   local        100       0    100.0    2.00    2.00    2.00  same",
            "hello_world  200 calls   racetrack    100       0    100.0    3.10    3.10    3.10  same",
            "hello_world  basic test  local        100       0    100.0    1.10    1.10    1.10  same",
            "hello_world  basic test  racetrack    100       0    100.0    1.30    1.30    1.30  same");
    }

    [Theory]
    [InlineData(RatchetVerdict.Regressed, false, "REGRESSED")]
    [InlineData(RatchetVerdict.FirstBar, false, "first bar (received file written)")]
    [InlineData(RatchetVerdict.Same, false, "same")]
    [InlineData(RatchetVerdict.Inconclusive, false, "inconclusive")]
    [InlineData(RatchetVerdict.Inconclusive, true, "inconclusive: machine noisy (calibration 1.9× slower)")]
    public void Describe_Verdict_IsOneWordOrSaysWhy(RatchetVerdict verdict, bool noiseGuarded, string expected) =>
        SummaryTable.Describe(Measurements.Verdict(verdict, noiseGuarded)).Should().Be(expected);

    [Fact]
    public void Headline_MixedVerdicts_CountsEachKindAndTheNoisyOnes()
    {
        var load = new LoadResultBuilder().Build();
        var measurements = new[]
        {
            Measurements.Of("wf", "a", load, RatchetVerdict.Regressed),
            Measurements.Of("wf", "b", load, RatchetVerdict.Inconclusive, noiseGuarded: true),
            Measurements.Of("wf", "c", load, RatchetVerdict.Inconclusive),
            Measurements.Of("wf", "d", load, RatchetVerdict.Improved),
            Measurements.Of("wf", "e", new LoadResultBuilder().WithCalls(5, failed: 1).Build()),
        };

        SummaryTable.Headline(measurements).Should().Be(
            "5 benchmarked test(s); 1 with failed calls; 1 regressed; 1 improved; 2 inconclusive (1 on a noisy machine)");
    }

    [Fact]
    public void Caveats_SameWarningOnEveryTest_IsListedOnce()
    {
        var load = new LoadResultBuilder().Build();
        var measurements = new[]
        {
            Measurements.Of("wf", "a", load) with { Caveats = ["the harness is coverage-instrumented"] },
            Measurements.Of("wf", "b", load) with { Caveats = ["the harness is coverage-instrumented", "the cluster is an unoptimized (Debug) build"] },
            Measurements.Of("wf", "c", load),
        };

        SummaryTable.Caveats(measurements).Should().Equal("the harness is coverage-instrumented", "the cluster is an unoptimized (Debug) build");
    }

    [Fact]
    public void RenderExports_Measures_OneAlignedRowEachWithItsVerdict()
    {
        var export = new ExportMeasurement
        {
            Workflow = "image_benchmark",
            Algorithm = "ImageBench",
            At = DateTimeOffset.UnixEpoch,
            Measures =
            [
                new JudgedExportMeasure("build", 12.5, "s", RatchetVerdict.Same, "within"),
                new JudgedExportMeasure("data copy speed", 180.25, "MB/s", RatchetVerdict.Regressed, "worse"),
                new JudgedExportMeasure("cold start", 420, "ms", RatchetVerdict.Inconclusive, "noisy") { NoiseGuarded = true },
            ],
        };

        var text = SummaryTable.RenderExports([export]);

        text.Should().Be(string.Join(Environment.NewLine,
            "workflow         export of   measure                value  verdict",
            "image_benchmark  ImageBench  build                 12.5 s  same",
            "image_benchmark  ImageBench  data copy speed  180.25 MB/s  REGRESSED",
            "image_benchmark  ImageBench  cold start            420 ms  inconclusive: machine noisy",
            ""));
        SummaryTable.RenderExports([]).Should().BeEmpty();
    }
}
