using Microsoft.AspNetCore.Http;

namespace TestBench.Harness.Tests.Builders;

/// <summary>A server on 127.0.0.1 that answers every request for a path with the same canned JSON: replies a real cluster should never send.</summary>
public static class CannedApi
{
    /// <param name="replies">Path (e.g. <c>/v1/data/</c>) → JSON body answered with 200; other paths get 404.</param>
    public static Task<LoopbackServer> StartAsync(IReadOnlyDictionary<string, string> replies) =>
        LoopbackServer.StartAsync(async context =>
        {
            if (!replies.TryGetValue(context.Request.Path.Value ?? "", out var body))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
}
