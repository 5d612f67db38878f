using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TestBench.Harness.Tests.Builders;

/// <summary>How the tests' proxies pass a request on to the cluster behind them and its answer back, streaming both.</summary>
public static class Forwarding
{
    /// <summary>Sends <paramref name="context"/>'s request to <paramref name="upstream"/>; the answer is the caller's to copy back.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpContext context, HttpClient upstream)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(request.Body);
            if (request.ContentType is { } contentType)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            forward.Content.Headers.ContentLength = request.ContentLength;
        }

        forward.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        return await upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Copies <paramref name="response"/> to the client, its body replaced by <paramref name="body"/> when given.</summary>
    public static async Task CopyBackAsync(HttpContext context, HttpResponseMessage response, byte[]? body = null)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => h.Key is not ("Transfer-Encoding" or "Content-Length")))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        if (body is not null)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
            return;
        }

        context.Response.ContentLength = response.Content.Headers.ContentLength;
        await response.Content.CopyToAsync(context.Response.Body);
    }
}
