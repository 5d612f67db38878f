using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestBench.Harness.Tests.Builders;

/// <summary>A server on 127.0.0.1 that answers every request for a path with the same canned JSON: replies a real cluster should never send.</summary>
public sealed class CannedApi : IAsyncDisposable
{
    private readonly WebApplication app;

    private CannedApi(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    /// <param name="replies">Path (e.g. <c>/v1/data/</c>) → JSON body answered with 200; other paths get 404.</param>
    public static async Task<CannedApi> StartAsync(IReadOnlyDictionary<string, string> replies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (!replies.TryGetValue(context.Request.Path.Value ?? "", out var body))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return new CannedApi(app)
        {
            Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
