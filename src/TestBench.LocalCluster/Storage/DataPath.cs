using TestBench.LocalCluster.Access;

namespace TestBench.LocalCluster.Storage;

/// <summary>
/// A validated hosted-data path: the owner it belongs to and its segments below the data root. Built only
/// through <see cref="TryResolve"/>, which rejects anything that could leave the data directory.
/// </summary>
public sealed record DataPath
{
    private DataPath(string owner, IReadOnlyList<string> segments)
    {
        Owner = owner;
        Segments = segments;
    }

    /// <summary>The longest path accepted, in UTF-8 bytes: the file system's own limit (<c>PATH_MAX</c>) is 4096 for the whole path.</summary>
    public const int MaxPathBytes = 3072;

    /// <summary>The user that owns (and alone may write) the path.</summary>
    public string Owner { get; }

    /// <summary>Every segment from the owner (or <c>.algo</c>) down; empty for the root.</summary>
    public IReadOnlyList<string> Segments { get; }

    public bool IsRoot => Segments.Count == 0;

    /// <summary>The path as a URI: <c>data://owner/collection/file</c>.</summary>
    public string Uri => "data://" + string.Join('/', Segments);

    /// <summary>The last segment.</summary>
    public string Name => Segments.Count == 0 ? "" : Segments[^1];

    /// <summary>The parent folder; the root's parent is the root.</summary>
    public DataPath Parent => Segments.Count <= 1 ? new DataPath("", []) : new DataPath(Owner, Segments.Take(Segments.Count - 1).ToArray());

    public DataPath Child(string name) => new(Owner, [.. Segments, name]);

    /// <summary>
    /// Resolves a route path (<c>.my/coll/file</c>, <c>user/coll</c>, <c>.algo/temp/x</c>,
    /// <c>.algo/owner/algo/temp/x</c>, or empty for the root) for <paramref name="caller"/>.
    /// Returns the reason on failure: empty, <c>.</c>/<c>..</c> or encoded variants, NUL or control characters,
    /// backslashes, names over 255 bytes, or paths over <see cref="MaxPathBytes"/>.
    /// </summary>
    public static DataPath? TryResolve(string? routePath, Caller caller, out string? problem)
    {
        problem = null;
        var text = (routePath ?? "").Trim('/');
        if (text.Length == 0)
        {
            return new DataPath("", []);
        }

        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxPathBytes)
        {
            problem = $"'{text[..40]}…' is not a valid data path: it is longer than {MaxPathBytes} bytes";
            return null;
        }

        var segments = text.Split('/').ToList();
        foreach (var segment in segments)
        {
            if (ProblemWithSegment(segment) is { } reason)
            {
                problem = $"'{routePath}' is not a valid data path: {reason}";
                return null;
            }
        }

        if (segments[0] == ".my")
        {
            segments[0] = caller.User;
        }

        if (segments[0] == ".algo")
        {
            return ResolveAlgorithmStorage(segments, caller, routePath!, out problem);
        }

        return new DataPath(segments[0], segments);
    }

    private static DataPath? ResolveAlgorithmStorage(List<string> segments, Caller caller, string routePath, out string? problem)
    {
        problem = null;
        // The short form data://.algo/temp/x (or perm) names the calling algorithm's own storage.
        if (segments.Count >= 2 && segments[1] is "temp" or "perm")
        {
            if (caller.Algorithm is null)
            {
                problem = $"'{routePath}': data://.algo/{segments[1]}/… works only inside a running algorithm; outside one use data://.algo/<owner>/<algorithm>/{segments[1]}/…";
                return null;
            }

            segments.InsertRange(1, caller.Algorithm.Split('/'));
        }

        // The long form: .algo/<owner>/<algorithm>[/temp|perm[/…]].
        if (segments.Count < 3 || (segments.Count >= 4 && segments[3] is not ("temp" or "perm")))
        {
            problem = $"'{routePath}': algorithm storage is data://.algo/<owner>/<algorithm>/temp|perm/…";
            return null;
        }

        return new DataPath(segments[1], segments);
    }

    private static string? ProblemWithSegment(string segment)
    {
        if (segment.Length == 0)
        {
            return "it has an empty segment";
        }

        // Decode once more: a client that double-encodes must not slip '..' or '/' through as a name.
        var decoded = System.Uri.UnescapeDataString(segment);
        if (decoded is "." or ".." || segment is "." or "..")
        {
            return "'.' and '..' segments are not allowed";
        }

        if (decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal) || segment.Contains('\\', StringComparison.Ordinal))
        {
            return "names must not contain '/' or '\\'";
        }

        if (segment.Any(char.IsControl) || decoded.Any(char.IsControl))
        {
            return "names must not contain NUL or control characters";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(segment) > 255)
        {
            return "a name is longer than 255 bytes";
        }

        return null;
    }
}
