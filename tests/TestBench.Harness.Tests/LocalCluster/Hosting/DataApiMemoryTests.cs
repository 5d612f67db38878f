using System.Net;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>Runs alone: it samples the whole test process's working set, which other tests would move.</summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class DataApiMemoryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private HttpClient Http => fixture.Alice.Http;

    [Fact]
    public async Task LargeFile_256MiB_StreamsBothWaysInBoundedMemory()
    {
        const long size = 256L * 1024 * 1024;
        await DataApiTests.CreateFolderAsync(Http, "large");
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var workingSet = new WorkingSetSampler();

        using (var upload = new HttpRequestMessage(HttpMethod.Put, "v1/data/alice/large/blob") { Content = new StreamContent(new DataApiTests.PatternStream(size)) })
        {
            upload.Content.Headers.ContentLength = size;
            using var response = await Http.SendAsync(upload);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        long downloaded = 0;
        var mismatch = false;
        using (var response = await Http.GetAsync("v1/data/alice/large/blob", HttpCompletionOption.ResponseHeadersRead))
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < read && !mismatch; i += 4096)
                {
                    mismatch = buffer[i] != DataApiTests.PatternStream.ByteAt(downloaded + i);
                }

                downloaded += read;
            }
        }

        var growth = workingSet.Growth;
        downloaded.Should().Be(size);
        mismatch.Should().BeFalse();
        new FileInfo(Path.Combine(fixture.DataDirectory, "data", "alice", "large", "blob")).Length.Should().Be(size);
        // Client and server share this process: a buffered copy of the file would add 256 MiB at least.
        growth.Should().BeLessThan(96L * 1024 * 1024, "uploads and downloads are streamed, so the working set grows by far less than the file while they run");
        (GC.GetTotalMemory(forceFullCollection: true) - before).Should().BeLessThan(16L * 1024 * 1024);
    }
}
