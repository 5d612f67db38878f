using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Resilience;

/// <summary>
/// Reads what a server answered, bounded, and refuses what is not the expected kind of answer at the boundary: an HTML
/// page (a gateway's error page), a body that is not JSON, one cut short, or one too large — each with a message naming
/// the server, the request and the problem.
/// </summary>
public static partial class ReplyContent
{
    /// <summary>How much of an error answer is read: the rest is never buffered into a message. <value>64 KiB.</value></summary>
    public const int ErrorBytesRead = 64 * 1024;

    /// <summary>How much of a body a message quotes. <value>300 characters.</value></summary>
    public const int QuotedChars = 300;

    /// <summary>The first <see cref="ErrorBytesRead"/> bytes of an (error) answer as text, and its full length when known.</summary>
    public static async Task<(string Text, long? Length)> ReadHeadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new byte[ErrorBytesRead];
        int read;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // A body cut short says no more than its status.
            read = 0;
        }

        return (Encoding.UTF8.GetString(buffer, 0, read), response.Content.Headers.ContentLength);
    }

    /// <summary>
    /// What a body is, for a message: <c>an empty body</c>, <c>an HTML page titled '502 Bad Gateway'</c>, or the text
    /// (its first <see cref="QuotedChars"/> characters, with the size when it is longer).
    /// </summary>
    public static string Describe(string text, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var size = length ?? text.Length;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "an empty body";
        }

        if (LooksLikeHtml(text))
        {
            var title = Title().Match(text);
            return title.Success ? $"an HTML page titled '{Quoted(title.Groups[1].Value.Trim())}'" : $"an HTML page of {Size(size)}";
        }

        return size > QuotedChars || text.Length > QuotedChars ? $"'{Quoted(text)}…' ({Size(size)})" : $"'{Quoted(text)}'";
    }

    /// <summary>A platform's words in an error body: the first of <paramref name="fields"/> that holds a string
    /// (<c>{"error": "…"}</c>), else what the body is (<see cref="Describe"/>).</summary>
    public static string ErrorWords(string text, long? length, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        try
        {
            if (JsonNode.Parse(text) is JsonObject error
                && fields.Select(field => error[field]).FirstOrDefault(value => value is JsonValue v && v.GetValueKind() == JsonValueKind.String) is { } words)
            {
                return words.GetValue<string>();
            }
        }
        catch (JsonException)
        {
            // Not JSON: said by what the body is.
        }

        return Describe(text, length);
    }

    /// <summary>The body as JSON (<see langword="null"/> when it is empty).</summary>
    /// <exception cref="TargetFaultException">It is an HTML page or not JSON (<see cref="FaultKind.BadReply"/>).</exception>
    public static async Task<JsonNode?> ReadJsonAsync(SentRequest sent, TargetEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        string text;
        try
        {
            text = await sent.Response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TransportFailure.Of(e, TimeSpan.Zero) is { } failure)
        {
            throw new TargetFaultException(endpoint, sent.Request, failure.Kind, failure.What, sent.Attempts, e);
        }

        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            var what = DescribeIfNotJson(text) ?? e.Message;
            throw new TargetFaultException(endpoint, sent.Request, FaultKind.BadReply, $"the reply is not JSON: {what} (HTTP {(int)sent.Response.StatusCode}, {sent.Response.Content.Headers.ContentType?.MediaType ?? "no content type"})", sent.Attempts, e);
        }
    }

    /// <summary>What <paramref name="text"/> is when it is not JSON (<c>an HTML page titled '502 Bad Gateway'</c>, or
    /// <c>it does not parse ('2' is an invalid end of a number…): '{"items": [1, 2'</c>); <see langword="null"/> when it is.</summary>
    public static string? DescribeIfNotJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LooksLikeHtml(text) || string.IsNullOrWhiteSpace(text))
        {
            return Describe(text);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException e)
        {
            return $"it does not parse ({ParserWords(e.Message)}): {Describe(text)}";
        }
    }

    /// <summary>A JSON parser's message as a user reads it: without its position details (<c>Path: $ | LineNumber: 0 …</c>,
    /// said elsewhere) and with the harness's type names short (<c>BuildReply</c>, not its namespace).</summary>
    public static string ParserWords(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var detail in (string[])[" Path:", " LineNumber:"])
        {
            if (message.IndexOf(detail, StringComparison.Ordinal) is > 0 and var end)
            {
                message = message[..end];
            }
        }

        return Namespaces().Replace(message, "").TrimEnd('.', ' ');
    }

    /// <summary><c>812 bytes</c>, <c>64.0 KiB</c>, <c>10.0 MiB</c>.</summary>
    private static string Size(long bytes) => bytes switch
    {
        < 10 * 1024 => FormattableString.Invariant($"{bytes} bytes"),
        < 1024 * 1024 => FormattableString.Invariant($"{bytes / 1024.0:0.0} KiB"),
        _ => FormattableString.Invariant($"{bytes / (1024.0 * 1024):0.0} MiB"),
    };

    private static bool LooksLikeHtml(string text)
    {
        var start = text.AsSpan().TrimStart();
        return start.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || (start.StartsWith("<", StringComparison.Ordinal) && text.Contains("<body", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>At most <see cref="QuotedChars"/> characters, control characters (line breaks too) shown as spaces.</summary>
    private static string Quoted(string text)
    {
        var head = text.Length > QuotedChars ? text[..QuotedChars] : text;
        return string.Create(head.Length, head, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bTestBench(\.\w+)*\.(?=\w)")]
    private static partial System.Text.RegularExpressions.Regex Namespaces();

    [System.Text.RegularExpressions.GeneratedRegex("<title[^>]*>([^<]{1,200})</title>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Title();
}
