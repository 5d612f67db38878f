using FluentAssertions;
using TestBench.Harness.Export;
using Xunit;

namespace TestBench.Harness.Tests.Export;

public sealed class ExportExceptionTests
{
    [Fact]
    public void Blocked_ChainOfBlockedSteps_NamesTheFirstFailureOnce()
    {
        var build = new ExportException("w", "A", "Build", "the build failed");

        var second = ExportException.Blocked("w", "B", "Export", build);
        var third = ExportException.Blocked("w", "C", "Export", second);
        var benchmark = ExportException.Blocked("w", "C", "Benchmark", third);

        third.BlockedBy.Should().BeSameAs(build);
        third.Message.Should().Be("Export of 'C' (workflow w) failed: blocked by export of A: Build of 'A' (workflow w) failed: the build failed");
        benchmark.Reason.Should().Be(third.Reason);
        benchmark.BlockedBy.Should().BeSameAs(build);
    }

    [Fact]
    public void Blocked_MissingPrerequisite_SaysSoOnceDownTheChain()
    {
        var missing = new PrerequisiteMissingException("no environment 'Python 2.7'");

        var twice = PrerequisiteMissingException.Blocked(PrerequisiteMissingException.Blocked(missing));

        twice.IsBlocked.Should().BeTrue();
        missing.IsBlocked.Should().BeFalse();
        twice.Message.Should().Be("blocked by an earlier algorithm of the workflow: no environment 'Python 2.7'");
    }
}
