using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// A reverse proxy on 127.0.0.1 in front of a cluster that misbehaves on purpose: it answers the first
/// <c>failFirst</c> requests with 503 without forwarding them, forwards the first algorithm creation but answers
/// 503 as if the answer was lost, and drops the connection in the middle of the first data file upload.
/// </summary>
public sealed class FaultyProxy : IAsyncDisposable
{
    private readonly HttpClient upstream;
    private LoopbackServer server = null!;
    private int failuresLeft;
    private int lostCreateAnswers = 1;
    private int droppedUploads = 1;

    private FaultyProxy(HttpClient upstream, int failFirst)
    {
        this.upstream = upstream;
        failuresLeft = failFirst;
    }

    public Uri Address => server.Address;

    public int Injected503s { get; private set; }

    public int DroppedConnections { get; private set; }

    public int LostAnswers { get; private set; }

    public static async Task<FaultyProxy> StartAsync(Uri target, int failFirst)
    {
        var proxy = new FaultyProxy(new HttpClient { BaseAddress = target }, failFirst);
        proxy.server = await LoopbackServer.StartAsync(proxy.HandleAsync);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        upstream.Dispose();
        await server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Set before the dropped upload reads the body; forwarding sets it too.
            limit.MaxRequestBodySize = null;
        }

        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            Injected503s++;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var request = context.Request;
        // The first upload of a data file (not TestBench's export manifest, which is written before it).
        var dataFileUpload = HttpMethods.IsPut(request.Method) && request.Path.StartsWithSegments("/v1/data")
            && !request.Path.Value!.Contains("/testbench_exports/", StringComparison.Ordinal);
        if (dataFileUpload && Interlocked.Decrement(ref droppedUploads) >= 0)
        {
            var buffer = new byte[1024];
            await request.Body.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false);
            DroppedConnections++;
            context.Abort();
            return;
        }

        using var response = await Forwarding.SendAsync(context, upstream);
        var lost = HttpMethods.IsPost(request.Method) && request.Path.Value!.Count(c => c == '/') == 3
            && request.Path.StartsWithSegments("/v1/algorithms") && Interlocked.Decrement(ref lostCreateAnswers) >= 0;
        if (lost)
        {
            // The cluster did the work; the client never hears about it.
            LostAnswers++;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await Forwarding.CopyBackAsync(context, response);
    }
}
