using FluentAssertions;
using TestBench.Harness.Reporting;
using TestBench.Harness.Running;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class CaseTallyTests
{
    [Fact]
    public void Describe_SomeRanSomeSkipped_CountsBothAndGroupsReasonsMostFrequentFirst()
    {
        var sut = new CaseTally();
        sut.Add(CaseStage.Export, skipped: false, null);
        sut.Add(CaseStage.Benchmark, skipped: false, null);
        sut.Add(CaseStage.Export, skipped: true, "Skipped: no GPU.");
        sut.Add(CaseStage.Benchmark, skipped: true, "Skipped: blocked by export of A: no GPU");
        sut.Add(CaseStage.Benchmark, skipped: true, "Skipped: blocked by export of A: no GPU");

        sut.NothingMeasured.Should().BeFalse();
        sut.Add(CaseStage.Benchmark, skipped: true, "Skipped: no python2");
        sut.Describe().Should().Be("2 of 6 export and benchmark cases ran; 4 skipped — no GPU (3); no python2 (1)", "a blocked case counts under its blocker's reason");
    }

    [Fact]
    public void Add_CleanupAndLoadCases_AreNotCounted()
    {
        var sut = new CaseTally();
        sut.Add(CaseStage.Cleanup, skipped: true, "opt-in");
        sut.Add(CaseStage.Load, skipped: false, null);

        sut.Total.Should().Be(0);
        sut.NothingMeasured.Should().BeFalse("nothing that measures was attempted");
        sut.Describe().Should().BeNull();
    }

    [Fact]
    public void NothingMeasured_OnlySkips_IsTrue_AndAFailedCaseCountsAsRun()
    {
        var skippedOnly = new CaseTally();
        skippedOnly.Add(CaseStage.Export, skipped: true, null);
        var oneFailed = new CaseTally();
        oneFailed.Add(CaseStage.Export, skipped: true, null);
        oneFailed.Add(CaseStage.Benchmark, skipped: false, null);

        skippedOnly.NothingMeasured.Should().BeTrue();
        skippedOnly.Describe().Should().StartWith("NOTHING MEASURED: 0 of 1").And.EndWith("no reason given (1)");
        oneFailed.NothingMeasured.Should().BeFalse();
    }
}
