using FluentAssertions;
using TestBench.Harness.Benchmark;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Ratchet;

public sealed class RatchetBookTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-ratchet-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Check_NoVerifiedFile_WritesReceivedAndLeavesVerifiedAlone()
    {
        var sut = new RatchetBook(directory, "wf", new RatchetPolicy());
        var before = sut.ReceivedPath;

        var (outcome, note) = sut.Check("t1", Load(0.01));

        outcome.Verdict.Should().Be(RatchetVerdict.FirstBar);
        before.Should().BeNull("nothing was proposed yet");
        sut.ReceivedPath.Should().Be(Path.Combine(directory, "wf.ratchet.received.json"));
        var folder = Path.GetFileName(directory);
        note.Should().Contain("first bar recorded").And.EndWith($"Accept it with: mv {folder}/wf.ratchet.received.json {folder}/wf.ratchet.json");
        File.Exists(Path.Combine(directory, "wf.ratchet.json")).Should().BeFalse();
        BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json")).Should().ContainKey("t1");
    }

    [Fact]
    public void Check_RaisedBar_KeepsOtherVerifiedBarsInTheReceivedFile()
    {
        var verified = new Dictionary<string, Bar>
        {
            ["fast"] = new() { SuccessRate = 1, P50Ms = 100, P95Ms = 100, P99Ms = 100, ThroughputFloor = 1 },
            ["other"] = new() { SuccessRate = 0.9, P50Ms = 7, P95Ms = 8, P99Ms = 9, ThroughputFloor = 2 },
        };
        BarFile.Write(Path.Combine(directory, "wf.ratchet.json"), verified);
        var before = File.ReadAllText(Path.Combine(directory, "wf.ratchet.json"));
        var sut = new RatchetBook(directory, "wf", new RatchetPolicy());

        var (outcome, _) = sut.Check("fast", Load(0.01, throughput: 50));
        var received = BarFile.Read(Path.Combine(directory, "wf.ratchet.received.json"));

        outcome.Verdict.Should().Be(RatchetVerdict.Raised);
        received["fast"].P50Ms.Should().Be(12.5);
        received["fast"].P99Ms.Should().Be(100, "ten calls cannot measure a p99, so the verified ceiling stays");
        received["other"].Should().Be(verified["other"]);
        File.ReadAllText(Path.Combine(directory, "wf.ratchet.json")).Should().Be(before, "bars never change in place");
    }

    [Theory]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p95_ms": 1, "p99_ms": 1}}}""", "$.tests.t")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "p95_ms": 1, "p99_ms": 1, "throughput_floor": 1, "p999_ms": 1}}}""", "$.tests.t.p999_ms")]
    [InlineData("""{"tests": {"t": {"success_rate": 2, "p50_ms": 1, "p95_ms": 1, "p99_ms": 1, "throughput_floor": 1}}}""", "$.tests['t']")]
    [InlineData("""{"tests": [ }""", "$.tests")]
    public void Read_MalformedFile_NamesFileAndPath(string json, string path)
    {
        var file = Path.Combine(directory, "bad.ratchet.json");
        File.WriteAllText(file, json);

        var act = () => BarFile.Read(file);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith($"{file}: {path}");
    }

    private static LoadResult Load(double latency, double throughput = 100) =>
        new LoadResultBuilder().WithLatency(latency).WithThroughput(throughput).WithCalls(10).Build();
}
