using FluentAssertions;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class IoCountersTests
{
    private const string Pressure = "some avg10=0.26 avg60=0.25 avg300=0.06 total=59460699\nfull avg10=0.17 avg60=0.16 avg300=0.04 total=50944477\n";
    private const string VmStat = "nr_free_pages 5925255\nworkingset_refault_anon 0\nworkingset_refault_file 1857575\npgpgin 8224637\n";

    [Fact]
    public void Parse_KernelFiles_ReadsSomeStallTotalAndFileRefaults()
    {
        IoCounters.Parse(Pressure, VmStat).Should().Be(new IoCounters(59460699, 1857575));
    }

    [Theory]
    [InlineData("full avg10=0.17 avg60=0.16 avg300=0.04 total=50944477\n", VmStat)]
    [InlineData("some avg10=0.26 avg60=0.25 avg300=0.06 total=lots\n", VmStat)]
    [InlineData("some avg10=0.26 avg60=0.25 avg300=0.06 total=-5\n", VmStat)]
    [InlineData(Pressure, "workingset_refault_anon 0\npgpgin 8224637\n")]
    [InlineData(Pressure, "workingset_refault_file\n")]
    [InlineData("", "")]
    public void Parse_MissingOrMalformedLine_IsUnmeasured(string pressure, string vmStat)
    {
        IoCounters.Parse(pressure, vmStat).Should().BeNull();
    }

    [Fact]
    public void Since_AnEarlierReading_GivesStallMillisecondsAndRefaultedMebibytes()
    {
        var pagesPerMebibyte = 1024 * 1024 / Environment.SystemPageSize;
        var start = new IoCounters(1_000_000, 500);

        var activity = new IoCounters(1_250_500, 500 + 3 * pagesPerMebibyte).Since(start);

        activity.StallMs.Should().Be(250.5);
        activity.RefaultedMebibytes.Should().Be(3);
        activity.IsNegligible.Should().BeFalse();
        start.Since(start).IsNegligible.Should().BeTrue();
    }

    [SkippableFact]
    public void Read_OnThisLinuxMachine_GivesCountersThatOnlyGrow()
    {
        Skip.IfNot(File.Exists("/proc/pressure/io"), "the kernel exposes no I/O pressure here");

        var first = IoCounters.Read();
        var second = IoCounters.Read();

        first.Should().NotBeNull();
        second!.Value.StallMicroseconds.Should().BeGreaterThanOrEqualTo(first!.Value.StallMicroseconds);
        second.Value.RefaultedPages.Should().BeGreaterThanOrEqualTo(first.Value.RefaultedPages);
    }
}
