namespace TestBench.Harness.Resilience;

/// <summary>How a server failed to give a usable answer.</summary>
public enum FaultKind
{
    /// <summary>Nothing answered at the address: refused, no route, a name that does not resolve, a failed TLS handshake.</summary>
    Unreachable,

    /// <summary>A connection was reset or closed before the answer was complete.</summary>
    Dropped,

    /// <summary>No answer within the time allowed for one attempt.</summary>
    Hung,

    /// <summary>An answer the harness cannot use: not JSON, an HTML page, a field missing or of the wrong type, too large.</summary>
    BadReply,
}
