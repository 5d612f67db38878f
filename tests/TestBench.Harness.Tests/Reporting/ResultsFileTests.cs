using FluentAssertions;
using TestBench.Harness.Histograms;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class ResultsFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-results-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task WriteAsync_MeasurementsWithHistograms_RoundTripsThemAndWritesEachAsHgrm()
    {
        var sample = TestSample.Empty.With(TestSampleBuilder.Trial([0.001, 0.002, 0.004], elapsed: 0.01));
        var results = new ResultsFile(directory);
        results.Add(Measurements.Of("hello_world", "200 calls/s for 3 s", sample.Summarize()));

        await results.WriteAsync(CancellationToken.None);

        var read = ResultsFile.Read(results.Path).Should().ContainSingle().Subject;
        read.Load.Histogram!.RecordedBuckets().Should().Equal((1000, 1), (2000, 1), (4000, 1));
        var hgrm = Path.Combine(directory, "histograms", "hello_world.200-calls-s-for-3-s.hgrm");
        File.ReadAllText(hgrm).Should().StartWith("       Value     Percentile TotalCount 1/(1-Percentile)")
            .And.Be(PercentileDistribution.Render(read.Load.Histogram));
    }
}
