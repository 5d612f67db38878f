using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Where an embedded cluster posts the results of <c>output=void</c> calls (the LangServer's async mode: its
/// <c>REQUEST_COMPLETE</c> address gets the response body and the request's <c>X-</c> headers, spec langserver.md §3.7).
/// A call is matched by its <see cref="CallHeader"/>; a result nobody waits for is counted and dropped. A Kestrel server on
/// 127.0.0.1 only; bodies are capped at <see cref="MaxBodyBytes"/>.
/// </summary>
public sealed class CompletionReceiver : IAsyncDisposable
{
    /// <summary>The header that names a call; the cluster hands it back with the result.</summary>
    public const string CallHeader = "X-TestBench-Call";

    /// <summary>The largest result body taken: the platform's 10 MiB result cap and room for its JSON wrapper.</summary>
    public const int MaxBodyBytes = 12 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<(byte[] Body, long ArrivedAt)>> waiting = new(StringComparer.Ordinal);
    private WebApplication? app;
    private long unmatched;

    private CompletionReceiver()
    {
    }

    /// <summary>The address to give the cluster, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Results that arrived for no waiting call (a late one after its deadline, or a stranger's).</summary>
    public long Unmatched => Interlocked.Read(ref unmatched);

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    public static async Task<CompletionReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new CompletionReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        var app = builder.Build();
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        receiver.app = app;
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        return receiver;
    }

    /// <summary>Registers a call before it is submitted; the task completes with the posted body and the arrival time
    /// (a <see cref="Stopwatch"/> timestamp), or is cancelled with <paramref name="cancellationToken"/>.</summary>
    public Task<(byte[] Body, long ArrivedAt)> Expect(string callId, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<(byte[] Body, long ArrivedAt)>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!waiting.TryAdd(callId, waiter))
        {
            throw new InvalidOperationException($"call {callId} is already awaited");
        }

        var registration = cancellationToken.Register(() =>
        {
            if (waiting.TryRemove(callId, out var gone))
            {
                gone.TrySetCanceled(cancellationToken);
            }
        });
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return waiter.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var waiter in waiting.Values)
        {
            waiter.TrySetCanceled();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (context.Request.Headers[CallHeader].ToString() is { Length: > 0 } id && waiting.TryRemove(id, out var waiter))
        {
            waiter.TrySetResult((body.ToArray(), arrived));
        }
        else
        {
            Interlocked.Increment(ref unmatched);
        }

        return Results.NoContent();
    }
}
