using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

public sealed class DataApiTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private HttpClient Http => fixture.Alice.Http;

    [Fact]
    public async Task RoundTrip_CreatePutListGetHeadDelete_Works()
    {
        await CreateFolderAsync("roundtrip");

        using var put = await Http.PutAsync("v1/data/.my/roundtrip/a.txt", new StringContent("hello data"));
        var listing = JsonNode.Parse(await Http.GetStringAsync("v1/connector/data/alice/roundtrip"))!;
        var text = await Http.GetStringAsync("v1/data/alice/roundtrip/a.txt");
        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "v1/data/alice/roundtrip/a.txt"));
        using var delete = await Http.DeleteAsync("v1/data/alice/roundtrip/a.txt");
        using var missing = await Http.GetAsync("v1/data/alice/roundtrip/a.txt");

        JsonNode.Parse(await put.Content.ReadAsStringAsync())!["result"]!.GetValue<string>().Should().Be("data://alice/roundtrip/a.txt");
        var file = listing["files"]![0]!;
        file["filename"]!.GetValue<string>().Should().Be("a.txt");
        file["size"]!.GetValue<long>().Should().Be(10);
        file["last_modified"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        text.Should().Be("hello data");
        head.Headers.GetValues("X-Data-Type").Should().Equal("file");
        head.Content.Headers.ContentLength.Should().Be(10);
        JsonNode.Parse(await delete.Content.ReadAsStringAsync())!["result"]!["deleted"]!.GetValue<int>().Should().Be(1);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RootListing_NamesTheCallerFirst()
    {
        var root = JsonNode.Parse(await Http.GetStringAsync("v1/data/"))!;

        root["folders"]![0]!["name"]!.GetValue<string>().Should().Be("alice");
    }

    [Fact]
    public async Task Listing_ManyFiles_IsPaginatedWithMarkers()
    {
        await CreateFolderAsync("paged");
        for (var i = 0; i < 1005; i++)
        {
            File.WriteAllText(Path.Combine(fixture.DataDirectory, "data", "alice", "paged", $"f{i:D4}"), "x");
        }

        var first = JsonNode.Parse(await Http.GetStringAsync("v1/data/alice/paged"))!;
        var marker = first["marker"]!.GetValue<string>();
        var second = JsonNode.Parse(await Http.GetStringAsync($"v1/data/alice/paged?marker={marker}"))!;

        first["files"]!.AsArray().Should().HaveCount(1000);
        second["files"]!.AsArray().Select(f => f!["filename"]!.GetValue<string>()).Should().Equal("f1000", "f1001", "f1002", "f1003", "f1004");
        second.AsObject().ContainsKey("marker").Should().BeFalse();
    }

    [Fact]
    public async Task DeleteFolder_NotEmpty_NeedsForce()
    {
        await CreateFolderAsync("full");
        (await Http.PutAsync("v1/data/alice/full/x", new StringContent("1"))).Dispose();
        (await Http.PutAsync("v1/data/alice/full/y", new StringContent("2"))).Dispose();

        using var refused = await Http.DeleteAsync("v1/data/alice/full");
        using var forced = await Http.DeleteAsync("v1/data/alice/full?force=true");

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("is not empty; delete it with ?force=true");
        JsonNode.Parse(await forced.Content.ReadAsStringAsync())!["result"]!["deleted"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task Put_IntoMissingFolder_IsRefused()
    {
        using var response = await Http.PutAsync("v1/data/alice/nowhere/x", new StringContent("1"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("folder 'data://alice/nowhere' (create it first)");
    }

    [Fact]
    public async Task Put_UploadCutShort_LeavesNoFileAndKeepsTheOldOne()
    {
        await CreateFolderAsync("atomic");
        (await Http.PutAsync("v1/data/alice/atomic/model.bin", new StringContent("old content"))).Dispose();

        var cut = new HttpRequestMessage(HttpMethod.Put, "v1/data/alice/atomic/model.bin") { Content = new StreamContent(new FailingStream(1024 * 1024)) };
        var act = () => Http.SendAsync(cut);
        await act.Should().ThrowAsync<HttpRequestException>();
        var partial = new HttpRequestMessage(HttpMethod.Put, "v1/data/alice/atomic/new.bin") { Content = new StreamContent(new FailingStream(1024 * 1024)) };
        var act2 = () => Http.SendAsync(partial);
        await act2.Should().ThrowAsync<HttpRequestException>();
        var uploads = Path.Combine(fixture.DataDirectory, "uploads");
        await Eventually.HoldsAsync(() => Directory.GetFiles(uploads).Length == 0, "the server should discard the cut uploads' temporary files");

        (await Http.GetStringAsync("v1/data/alice/atomic/model.bin")).Should().Be("old content");
        using var absent = await Http.GetAsync("v1/data/alice/atomic/new.bin");
        absent.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    public static TheoryData<string> TraversalCorpus => new()
    {
        "v1/data/alice/..%2f..%2fetc%2fpasswd",
        "v1/data/alice/%2e%2e/bob/secret",
        "v1/data/alice/coll/%2e%2e%2f%2e%2e",
        "v1/data/alice/coll/..%252f..%252fetc",
        "v1/data/alice/coll/%252e%252e",
        "v1/data/alice/coll/a%5cb",
        "v1/data/alice/coll/a%00b",
        "v1/data/alice/coll/%01",
        "v1/data/.my/./x",
        "v1/connector/data/alice/%2E%2E/x",
        "v1/data/.algo/alice/x/tmp/../../../../etc",
        "v1/data/.algo/temp/x",
    };

    [Theory]
    [MemberData(nameof(TraversalCorpus))]
    public async Task Paths_TraversalAttempts_AreRejectedWith400(string route)
    {
        // Sent exactly as written: .NET's Uri would otherwise resolve the dots before the server sees them.
        var uri = new Uri(fixture.Cluster.Address + route, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        using var get = await Http.GetAsync(uri);
        using var put = await Http.PutAsync(uri, new StringContent("x"));

        get.StatusCode.Should().Be(HttpStatusCode.BadRequest, route);
        put.StatusCode.Should().Be(HttpStatusCode.BadRequest, route);
        var body = await get.Content.ReadAsStringAsync();
        if (body.Length > 0)
        {
            // Kestrel itself refuses some requests (a NUL in the path) before routing, with an empty body.
            body.Should().Contain("\"error\"");
        }
    }

    internal static async Task CreateFolderAsync(HttpClient http, string name)
    {
        using var response = await http.PostAsync("v1/data/.my", new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private Task CreateFolderAsync(string name) => CreateFolderAsync(Http, name);

    /// <summary>A stream of a known byte pattern that needs no memory of its own.</summary>
    internal sealed class PatternStream(long length) : Stream
    {
        private long position;

        public static byte ByteAt(long offset) => (byte)((offset * 31) >> 3);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = ByteAt(position + i);
            }

            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Sends some bytes, then fails: an upload cut off half way.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (sent >= failAfter)
            {
                throw new IOException("connection dropped mid-upload (test)");
            }

            var n = Math.Min(count, failAfter - sent);
            Array.Fill(buffer, (byte)'x', offset, n);
            sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
