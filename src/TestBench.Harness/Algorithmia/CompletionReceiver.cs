using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Where an embedded cluster posts the results of <c>output=void</c> calls (the LangServer's async mode: its
/// <c>REQUEST_COMPLETE</c> address gets the response body and the request's <c>X-</c> headers, spec langserver.md §3.7).
/// A call is matched by its <see cref="CallHeader"/>; a result nobody waits for is counted and dropped. Listens on
/// 127.0.0.1 only; bodies are capped at <see cref="MaxBodyBytes"/>.
/// </summary>
public sealed class CompletionReceiver : IAsyncDisposable
{
    /// <summary>The header that names a call; the cluster hands it back with the result.</summary>
    public const string CallHeader = "X-TestBench-Call";

    /// <summary>The largest result body taken: the platform's 10 MiB result cap and room for its JSON wrapper.</summary>
    public const int MaxBodyBytes = 12 * 1024 * 1024;

    private readonly HttpListener listener;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(byte[] Body, long ArrivedAt)>> waiting = new(StringComparer.Ordinal);
    private readonly Task serving;
    private long unmatched;

    private CompletionReceiver(HttpListener listener, Uri address)
    {
        this.listener = listener;
        Address = address;
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The address to give the cluster, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Results that arrived for no waiting call (a late one after its deadline, or a stranger's).</summary>
    public long Unmatched => Interlocked.Read(ref unmatched);

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    public static CompletionReceiver Start()
    {
        // HttpListener needs a port up front: take a free one, then bind it (a few tries, in case another process is faster).
        for (var attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(address.ToString());
            try
            {
                listener.Start();
                return new CompletionReceiver(listener, address);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
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
        listener.Stop();
        listener.Close();
        try
        {
            await serving.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }

        foreach (var waiter in waiting.Values)
        {
            waiter.TrySetCanceled();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST" || context.Request.ContentLength64 > MaxBodyBytes)
            {
                response.StatusCode = context.Request.HttpMethod != "POST" ? 405 : 413;
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            if (context.Request.Headers[CallHeader] is { } id && waiting.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult((body.ToArray(), arrived));
            }
            else
            {
                Interlocked.Increment(ref unmatched);
            }

            response.StatusCode = 204;
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            // The cluster went away mid-post: its notifier retries, and an unanswered call fails at its deadline.
        }
        finally
        {
            response.Close();
        }
    }
}
