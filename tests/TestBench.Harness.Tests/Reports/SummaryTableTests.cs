using FluentAssertions;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Reports;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reports;

public sealed class SummaryTableTests
{
    [Fact]
    public void Render_Measurements_OneAlignedRowEachWithTheVerdict()
    {
        var measurements = new[]
        {
            Measurements.Of("image_benchmark", "40 calls in 5 min", new LoadResultBuilder().WithCalls(40).WithLatency(0.0123).Build(), RatchetVerdict.Held),
            Measurements.Of("hello_world", "basic test", new LoadResultBuilder().WithLatency(0.0011).Build(), RatchetVerdict.Raised),
            Measurements.Of("hello_world", "broken", new LoadResultBuilder().WithCalls(5, failed: 5).Build(), null),
        };

        var lines = SummaryTable.Render(measurements).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        lines.Should().HaveCount(4);
        lines[0].Should().Be("workflow         test               calls  errors  calls/s  p50 ms  p95 ms  p99 ms  bar");
        lines[1].Should().Be("hello_world      basic test           100       0    100.0    1.10    1.10    1.10  raised (received file written)");
        lines[2].Should().Be("hello_world      broken                 5       5    100.0   10.00   10.00   10.00  not judged: calls failed");
        lines[3].Should().Be("image_benchmark  40 calls in 5 min     40       0    100.0   12.30   12.30   12.30  held");
    }

    [Theory]
    [InlineData(RatchetVerdict.Failed, "FAILED")]
    [InlineData(RatchetVerdict.FirstBar, "first bar (received file written)")]
    [InlineData(RatchetVerdict.Held, "held")]
    public void Describe_Verdict_IsOneWordOrSaysWhatWasWritten(RatchetVerdict verdict, string expected) =>
        SummaryTable.Describe(verdict).Should().Be(expected);
}
