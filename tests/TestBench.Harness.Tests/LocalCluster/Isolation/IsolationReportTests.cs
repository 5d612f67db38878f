using FluentAssertions;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>What a server says about its sandbox comes from the probe's own view, and a sandbox that would not hold is refused.</summary>
public sealed class IsolationReportTests
{
    private static readonly string OwnNamespaces = string.Join('\n', new[] { "user", "mnt", "pid", "ipc", "uts", "net", "cgroup" }
        .Select(name => $"ns {name} {name}:[4026599999]"));

    private const string Limits = """
        Max file size             536870912            536870912            bytes
        Max processes             128                  128                  processes
        Max open files            1024                 1024                 files
        Max address space         2147483648           2147483648           bytes
        """;

    [Fact]
    public void Parse_AnUnprivilegedProbe_HoldsAndSaysWhatItGot()
    {
        var report = IsolationReport.Parse($"Uid:\t1610612736\t1610612736\t1610612736\t1610612736\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\n{OwnNamespaces}\n{Limits}", dedicatedUid: true);

        report.Shortfall.Should().BeNull();
        report.ToString().Should().Contain("runs as uid 1610612736 (a uid of its own, as the server runs as root)")
            .And.Contain("capabilities 0000000000000000").And.Contain("no_new_privs set").And.Contain("processes 128").And.Contain("own user, mnt, pid");
    }

    [Theory]
    [InlineData("Uid:\t0\t0\t0\t0\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1", "the code runs as uid 0")]
    [InlineData("Uid:\t1000\t1000\t1000\t1000\nCapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\nNoNewPrivs:\t1", "the code keeps capabilities (CapEff 000001fffeffffff")]
    [InlineData("Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t0", "no_new_privs is not set")]
    public void Parse_AProbeThatKeptAPrivilege_IsAShortfall(string status, string expected)
    {
        var report = IsolationReport.Parse($"{status}\n{OwnNamespaces}\n{Limits}", dedicatedUid: false);

        report.Shortfall.Should().StartWith("the sandbox would not hold: ").And.Contain(expected);
    }

    [Fact]
    public void Parse_TheServersOwnNamespaces_AreAShortfall()
    {
        var server = string.Join('\n', new[] { "user", "mnt", "pid" }.Select(name => $"ns {name} {new FileInfo($"/proc/self/ns/{name}").LinkTarget}"));

        var report = IsolationReport.Parse($"Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\n{server}", dedicatedUid: false);

        report.Shortfall.Should().Contain("the code shares the server's user, mnt, pid namespace(s)");
    }

    [Fact]
    public void Parse_AProbeThatPrintedNoStatus_SaysSo()
    {
        var parse = () => IsolationReport.Parse("bwrap: something else", dedicatedUid: false);

        parse.Should().Throw<InvalidOperationException>().WithMessage("The sandbox probe printed no Uid*");
    }

    [SkippableFact]
    public async Task DetectAsync_OnThisMachine_ReportsTheSandboxItRuns()
    {
        var choice = await Sandbox.DetectAsync(CancellationToken.None);
        Skip.If(choice.Sandbox is null, $"no sandbox on this machine: {choice.WhyNot}");

        choice.Describe().Should().StartWith("Sandbox (bubblewrap): algorithm code runs as uid ").And.Contain("capabilities 0000000000000000 (bounding set 0000000000000000)");
        choice.Report!.Uid.Should().Be(choice.Sandbox!.Account.Uid).And.NotBe(0);
    }
}
