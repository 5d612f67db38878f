using System.Net.Http.Headers;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// One algorithm call rendered once — its address, its body's bytes and content type — so that a load test repeating
/// it thousands of times per second pays for the rendering once (see <see cref="CallsApi.Prepare"/>).
/// </summary>
public sealed class PreparedCall
{
    internal PreparedCall(Uri address, byte[] body, MediaTypeHeaderValue contentType, int timeoutSeconds)
    {
        Address = address;
        Body = body;
        ContentType = contentType;
        TimeoutSeconds = timeoutSeconds;
    }

    /// <summary>The call's absolute address, <c>…/v1/algo/owner/name[/version]?timeout=N</c>.</summary>
    public Uri Address { get; }

    /// <summary>Seconds the server is given (<c>?timeout=</c>); the client waits 10 s longer.</summary>
    public int TimeoutSeconds { get; }

    internal byte[] Body { get; }

    internal MediaTypeHeaderValue ContentType { get; }

    /// <summary>How long the client waits for an answer before reporting none.</summary>
    internal TimeSpan ClientDeadline => TimeSpan.FromSeconds(TimeoutSeconds + 10);
}
