using System.Net.Sockets;
using Polly.Timeout;

namespace TestBench.Harness.Resilience;

/// <summary>What an exception from the HTTP stack means, in words a user acts on, and whether the request left the machine.</summary>
/// <param name="Kind">Which kind of fault.</param>
/// <param name="What">What happened, e.g. <c>the connection was refused (nothing listens there: is the server down?)</c>.</param>
/// <param name="NeverSent">The server cannot have seen the request, so even a request that is not idempotent may be sent again.</param>
public sealed record TransportFailure(FaultKind Kind, string What, bool NeverSent)
{
    /// <summary>The failure <paramref name="exception"/> stands for; <see langword="null"/> when it is no transport failure.</summary>
    /// <param name="exception">What the HTTP stack (or Polly's per-attempt timeout) threw.</param>
    /// <param name="attemptTimeout">The time one attempt was given, for a timeout's words.</param>
    public static TransportFailure? Of(Exception exception, TimeSpan attemptTimeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TimeoutRejectedException => new(FaultKind.Hung, FormattableString.Invariant($"no answer within {attemptTimeout.TotalSeconds:0.#} s (the connection stayed open)"), false),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => new(FaultKind.Unreachable, "the host name does not resolve (DNS)", true),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e => new(FaultKind.Unreachable, $"the TLS handshake failed: {Innermost(e).Message}", true),
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } e when Innermost(e) is SocketException socket => OfSocket(socket),
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } =>
                new(FaultKind.Dropped, "the connection closed before the answer was complete", false),
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } or HttpIOException { HttpRequestError: HttpRequestError.InvalidResponse } =>
                new(FaultKind.Dropped, "the answer was not valid HTTP", false),
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } e => new(FaultKind.BadReply, $"the answer exceeds a limit: {e.Message}", false),
            HttpRequestException e => Innermost(e) is SocketException socket ? OfSocket(socket) : new(FaultKind.Dropped, e.Message, false),
            IOException e when Innermost(e) is SocketException socket => OfSocket(socket),
            IOException e => new(FaultKind.Dropped, $"the connection failed while the answer was read: {e.Message}", false),
            _ => null,
        };
    }

    private static TransportFailure OfSocket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => new(FaultKind.Unreachable, "the connection was refused (nothing listens there: is the server down?)", true),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new(FaultKind.Unreachable, "the host name does not resolve (DNS)", true),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => new(FaultKind.Unreachable, "there is no route to the host", true),
        SocketError.TimedOut => new(FaultKind.Unreachable, "the connection could not be opened in time", true),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => new(FaultKind.Dropped, "the connection was reset by the server", false),
        var code => new(FaultKind.Dropped, $"the connection failed ({code})", false),
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
