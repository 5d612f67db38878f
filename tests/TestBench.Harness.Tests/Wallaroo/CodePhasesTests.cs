using FluentAssertions;
using TestBench.Harness.Wallaroo;
using Xunit;

namespace TestBench.Harness.Tests.Wallaroo;

public sealed class CodePhasesTests
{
    private static readonly string[] Logs =
    [
        "2026-11-22T10:00:00.100000000Z stdout F TESTBENCH_STARTED 1795860000.250000",
        "2026-11-22T10:00:00.180000000Z stderr F a warning from an import",
        "2026-11-22T10:00:00.190000000Z stdout F TESTBENCH_LOADED 1795860000.325000",
        "2026-11-22T10:00:00.210000000Z stdout F TESTBENCH_APPLIED 1795860000.341000",
        "2026-11-22T10:00:00.211000000Z stdout F TESTBENCH_RESULT {\"ok\": true}",
    ];

    [Fact]
    public void Of_TheGeneratedMarkers_GivesLoadAndApplyByTheTasksClock()
    {
        var phases = CodePhases.Of(Logs);

        phases!.LoadSeconds.Should().BeApproximately(0.075, 1e-6, "the printed clocks count, not the service's timestamps");
        phases.ApplySeconds.Should().BeApproximately(0.016, 1e-6);
    }

    [Fact]
    public void Of_AMarkerMissingOrWithoutAClock_IsUnknown()
    {
        CodePhases.Of(Logs[..3]).Should().BeNull("a run that failed in apply printed no APPLIED line");
        CodePhases.Of(["2026-11-22T10:00:00.1Z stdout F TESTBENCH_STARTED", .. Logs[1..]]).Should().BeNull("an older main.py printed no clock");
        CodePhases.Of([Logs[0], "2026-11-22T10:00:00.2Z stdout F TESTBENCH_LOADED soon", .. Logs[3..]]).Should().BeNull();
        CodePhases.Of([]).Should().BeNull("an orchestration uploaded as it is prints no markers");
    }

    [Fact]
    public void Of_ClocksGoingBackwards_AreNotTrusted()
    {
        string[] logs = [Logs[0], "2026-11-22T10:00:00.19Z stdout F TESTBENCH_LOADED 1795859999.000000", Logs[3]];

        CodePhases.Of(logs).Should().BeNull();
    }
}
