using FluentAssertions;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Ratchet;

public sealed class BarFileTests : IDisposable
{
    private const string Reference = """ "reference": {"latency_ms": [1, 2], "trials": 2, "calls": 2, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"} """;
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-barfile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Read_FileOfEarlierVersion_LoadsWithoutReferenceOrCalibration()
    {
        var file = Write("""{"tests": {"basic test": {"success_rate": 1, "p50_ms": 6.098}}}""");

        var document = BarFile.Read(file);

        document.Tests["basic test"].P50Ms.Should().Be(6.098);
        document.Tests["basic test"].Reference.Should().BeNull();
        document.Calibration.Should().BeNull();
    }

    [Fact]
    public void Write_ThenRead_KeepsReferenceAndCalibration()
    {
        var file = Path.Combine(directory, "wf.ratchet.json");
        var bar = new Bar
        {
            SuccessRate = 1,
            P50Ms = 2.5,
            Reference = new ReferenceSample { LatencyMs = [1.5, 2], Throughput = [900, 950.5], Trials = 2, Calls = 100, MeasuredAt = DateTimeOffset.UnixEpoch, Commit = "c0ffee", Machine = "2 cores" },
        };
        var calibration = new CalibrationSample { CpuMs = [0.9, 1], MeasuredAt = DateTimeOffset.UnixEpoch, Machine = "2 cores" };

        BarFile.Write(file, new BarDocument(new Dictionary<string, Bar> { ["t"] = bar }) { Calibration = calibration });
        var read = BarFile.Read(file);

        read.Tests["t"].Should().BeEquivalentTo(bar);
        read.Calibration.Should().BeEquivalentTo(calibration);
        File.ReadAllText(file).Should().Contain("\"latency_ms\": [").And.Contain("\"measured_at\": \"1970-01-01T00:00:00+00:00\"");
    }

    [Theory]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p95_ms": 1, "p99_ms": 1}}}""", "$.tests.t")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "p999_ms": 1}}}""", "$.tests.t.p999_ms")]
    [InlineData("""{"tests": {"t": {"success_rate": 2, "p50_ms": 1}}}""", "$.tests['t']: success_rate must be 0..1")]
    [InlineData("""{"tests": [ }""", "$.tests")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [], "trials": 1, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.tests['t'].reference.latency_ms: must hold at least one")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [-1], "trials": 1, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.tests['t'].reference.latency_ms")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [1], "throughput": [], "trials": 1, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.tests['t'].reference.throughput")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [1], "trials": 0, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.tests['t'].reference: trials and calls must be at least 1")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [1], "trials": 1, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": " "}}}}""", "$.tests['t'].reference.machine")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": [1], "trials": 1, "calls": 1, "machine": "m"}}}}""", "$.tests.t.reference")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "noise": {"latency": -0.1, "runs": 10}}}}""", "$.tests['t'].noise: latency and throughput must be at least 0")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "noise": {"latency": 0.2, "runs": 1}}}}""", "$.tests['t'].noise: latency and throughput must be at least 0, measured over at least 2 runs")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "noise": {"runs": 3}}}}""", "$.tests.t.noise")]
    [InlineData("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, "reference": {"latency_ms": ["fast"], "trials": 1, "calls": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.tests.t.reference.latency_ms[0]")]
    [InlineData("""{"tests": {}, "calibration": {"cpu_ms": [], "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}""", "$.calibration.cpu_ms: must hold at least one finite value greater than 0")]
    [InlineData("""{"tests": {}, "calibration": {"cpu_ms": [1], "wakeup_ms": [1], "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}""", "$.calibration.wakeup_ms")]
    [InlineData("""{"tests": {}, "calibration": {"cpu_ms": [1], "machine": "m"}}""", "$.calibration")]
    [InlineData("""{"tests": {}, "exports": {"hello": {"build": {"unit": "min", "higher_is_better": false, "value": 1, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.exports['hello']['build']: unit must be s, ms or MB/s")]
    [InlineData("""{"tests": {}, "exports": {"hello": {"build": {"unit": "s", "higher_is_better": false, "measured_at": "2026-11-22T00:00:00Z", "machine": "m"}}}}""", "$.exports.hello.build")]
    public void Read_MalformedFile_NamesFileAndPath(string json, string path)
    {
        var file = Write(json);

        var act = () => BarFile.Read(file);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith($"{file}: {path}");
    }

    [Fact]
    public void Read_ValidReference_Loads()
    {
        var file = Write("""{"tests": {"t": {"success_rate": 1, "p50_ms": 1, """ + Reference + "}}}");

        BarFile.Read(file).Tests["t"].Reference!.LatencyMs.Should().Equal(1, 2);
    }

    private string Write(string json)
    {
        var file = Path.Combine(directory, "bad.ratchet.json");
        File.WriteAllText(file, json);
        return file;
    }
}
