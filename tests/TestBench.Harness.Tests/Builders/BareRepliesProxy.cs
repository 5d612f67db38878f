using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// A proxy on 127.0.0.1 in front of a cluster (API and git alike) whose algorithm objects carry neither <c>self_link</c>
/// nor <c>source</c>: the barest reply a real cluster may send, so a client that finds its repository in either fails here.
/// </summary>
public sealed class BareRepliesProxy : IAsyncDisposable
{
    private readonly HttpClient upstream;
    private LoopbackServer server = null!;

    private BareRepliesProxy(HttpClient upstream) => this.upstream = upstream;

    public Uri Address => server.Address;

    /// <summary>Algorithm objects that went out stripped.</summary>
    public int Stripped { get; private set; }

    public static async Task<BareRepliesProxy> StartAsync(Uri target)
    {
        var proxy = new BareRepliesProxy(new HttpClient { BaseAddress = target });
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
        using var response = await Forwarding.SendAsync(context, upstream);
        var algorithmObject = context.Request.Path.StartsWithSegments("/v1/algorithms") && response.Content.Headers.ContentType?.MediaType == "application/json";
        if (!algorithmObject)
        {
            await Forwarding.CopyBackAsync(context, response);
            return;
        }

        var body = JsonNode.Parse(await response.Content.ReadAsByteArrayAsync());
        if (body is JsonObject algorithm && algorithm["resource_type"]?.ToString() == "algorithm")
        {
            algorithm.Remove("self_link");
            algorithm.Remove("source");
            Stripped++;
        }

        await Forwarding.CopyBackAsync(context, response, System.Text.Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null"));
    }
}
