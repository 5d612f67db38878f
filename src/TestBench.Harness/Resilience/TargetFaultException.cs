namespace TestBench.Harness.Resilience;

/// <summary>
/// A server gave no usable answer to a request — unreachable, dropped, hung, or an answer the harness cannot use. The
/// message is one sentence: which server at which address, which request, what happened and what was tried; never a key.
/// </summary>
public sealed class TargetFaultException : Exception
{
    public TargetFaultException(TargetEndpoint endpoint, string request, FaultKind kind, string what, Attempts attempts, Exception? inner = null)
        : base(Sentence(endpoint, request, kind, what, attempts), inner)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Request = request;
        Kind = kind;
        What = what;
        Attempts = attempts;
    }

    public TargetEndpoint Endpoint { get; }

    /// <summary>The request, e.g. <c>POST api/v1/deploy</c>.</summary>
    public string Request { get; }

    public FaultKind Kind { get; }

    /// <summary>What happened, e.g. <c>the connection was refused</c>.</summary>
    public string What { get; }

    public Attempts Attempts { get; }

    /// <summary>Whether the server is gone or stuck (rather than answering badly): later requests to it would fail the same way.</summary>
    public bool ServerDown => Kind is FaultKind.Unreachable or FaultKind.Hung or FaultKind.Dropped;

    private static string Sentence(TargetEndpoint endpoint, string request, FaultKind kind, string what, Attempts attempts) => kind == FaultKind.BadReply
        ? $"{Capitalized(endpoint)} answered {request} with a reply TestBench cannot use: {what} ({attempts})."
        : $"{Capitalized(endpoint)} gave no answer to {request}: {what} ({attempts}).";

    private static string Capitalized(TargetEndpoint endpoint) => endpoint.ToString() is var text && text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;
}
