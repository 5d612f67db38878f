namespace TestBench.Harness.Workflows;

/// <summary>Checks for the hosted-data URIs (<c>data://owner/collection/file</c>) a workflow may name.</summary>
public static class DataUri
{
    /// <summary>The scheme prefix of hosted data.</summary>
    public const string Prefix = "data://";

    /// <summary>
    /// Returns why <paramref name="uri"/> cannot name a hosted file, or <see langword="null"/> when it can:
    /// it must start with <c>data://</c>, name an owner (or <c>.my</c>), and end in a file name.
    /// </summary>
    public static string? ProblemWithFileUri(string uri)
    {
        if (!uri.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"'{uri}' is not a data:// URI";
        }

        var segments = uri[Prefix.Length..].Split('/');
        if (segments.Length < 2 || segments.Any(string.IsNullOrEmpty))
        {
            return $"'{uri}' must have the form data://<owner>/<collection>/<file> with no empty segments";
        }

        if (segments.Any(s => s is "." or ".."))
        {
            return $"'{uri}' must not contain '.' or '..' segments";
        }

        return null;
    }

    /// <summary>The last segment of a data URI: the name the file gets in the destination collection.</summary>
    public static string FileName(string uri) => uri[(uri.LastIndexOf('/') + 1)..];
}
