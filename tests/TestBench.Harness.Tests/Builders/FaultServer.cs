using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// A TCP server on 127.0.0.1 that misbehaves in one way, on every connection, below HTTP where it must: resetting the
/// connection, accepting it and never answering, answering late, cutting a body short or presenting a certificate
/// nobody trusts. It counts the requests it read, so a test can tell how often the client tried.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly ServerFault fault;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Task accepting;
    private readonly X509Certificate2? certificate;
    private int requests;

    private FaultServer(ServerFault fault)
    {
        this.fault = fault;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        certificate = fault is ServerFault.UntrustedCertificate ? SelfSigned() : null;
        var scheme = certificate is null ? "http" : "https";
        Address = new Uri($"{scheme}://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Requests read so far (a TLS handshake that failed counts none).</summary>
    public int Requests => Volatile.Read(ref requests);

    public static FaultServer Start(ServerFault fault) => new(fault);

    /// <summary>An address on 127.0.0.1 where nothing listens: a port just bound and released.</summary>
    public static Uri ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        Task[] running;
        lock (connections)
        {
            running = [accepting, .. connections];
        }

        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        certificate?.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (connections)
            {
                connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        try
        {
            Stream stream = client.GetStream();
            if (certificate is not null)
            {
                var tls = new SslStream(stream);
                stream = tls;
                // The client refuses the certificate: the handshake fails on its side and ends here.
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
            }

            await using (stream)
            {
                // Kept alive while the answers allow, so that the client closes first: a server closing each connection
                // leaves it in TIME_WAIT, and a new connection that meets it waits a second for a SYN to be sent again.
                do
                {
                    await ReadRequestAsync(stream, stop.Token);
                    Interlocked.Increment(ref requests);
                }
                while (await AnswerAsync(client, stream, stop.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or AuthenticationException)
        {
            // The client went away or the server stopped: nothing to answer.
        }
    }

    /// <summary>Misbehaves once; <see langword="true"/> when the connection may carry the next request.</summary>
    private async Task<bool> AnswerAsync(TcpClient client, Stream stream, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case ServerFault.Reset:
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
                return false;
            case ServerFault.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return false;
            case ServerFault.Late late:
                await Task.Delay(late.Delay, cancellationToken);
                await WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), [], cancellationToken);
                return true;
            case ServerFault.CutShort cut:
                var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {cut.Promised}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
                await stream.WriteAsync(cut.Sent, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                return false;
            case ServerFault.Answer answer:
                await WriteAsync(stream, answer.Status, answer.ContentType, answer.Body, answer.Headers, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private static async Task WriteAsync(Stream stream, int status, string contentType, byte[] body, IReadOnlyList<string> headers, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(FormattableString.Invariant($"HTTP/1.1 {status} {ReasonOf(status)}\r\n"))
            .Append(FormattableString.Invariant($"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\n"));
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Reads the request's head and as much body as it announced, so that closing afterwards is no reset.</summary>
    private static async Task ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>(1024);
        var one = new byte[1];
        while (head.Count < 64 * 1024 && !EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the client closed the connection");
            }

            head.Add(one[0]);
        }

        var text = Encoding.ASCII.GetString([.. head]);
        var length = text.Split("\r\n").Select(line => line.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => long.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var buffer = new byte[8192];
        for (var left = length; left > 0;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            left -= read;
        }
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var subjectNames = new SubjectAlternativeNameBuilder();
        subjectNames.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(subjectNames.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Exported and loaded again: the SslStream server needs a key it can use, not the ephemeral one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>How a <see cref="FaultServer"/> misbehaves.</summary>
public abstract record ServerFault
{
    private ServerFault()
    {
    }

    /// <summary>Reads the request, then resets the connection (TCP RST) without a byte of answer.</summary>
    public sealed record Reset : ServerFault;

    /// <summary>Accepts the connection, reads the request and never answers.</summary>
    public sealed record Hang : ServerFault;

    /// <summary>Answers 200 <c>{}</c>, after <paramref name="Delay"/>.</summary>
    public sealed record Late(TimeSpan Delay) : ServerFault;

    /// <summary>Promises a body of <paramref name="Promised"/> bytes, sends <paramref name="Sent"/> and closes.</summary>
    public sealed record CutShort(int Promised, byte[] Sent) : ServerFault;

    /// <summary>Presents a self-signed certificate over TLS.</summary>
    public sealed record UntrustedCertificate : ServerFault;

    /// <summary>Answers every request with this status, content type, body and extra header lines (<c>Retry-After: 1</c>).</summary>
    public sealed record Answer(int Status, string ContentType, byte[] Body, IReadOnlyList<string> Headers) : ServerFault
    {
        public static Answer Json(int status, string json, params string[] headers) => new(status, "application/json", Encoding.UTF8.GetBytes(json), headers);

        public static Answer Html(int status, string html) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), []);
    }
}
