using System.Text.RegularExpressions;

namespace TestBench.Harness.Workflows;

/// <summary>
/// Rewrites an algorithm template's files for the destination cluster: <c>&lt;user&gt;</c> becomes the
/// destination user, and every template name of the workflow becomes its exported name, in file contents and in
/// file names (so <c>src/X.py</c> becomes <c>src/X_s.py</c> and <c>src/X_test.py</c> becomes <c>src/X_s_test.py</c>).
/// </summary>
/// <remarks>
/// Names are replaced in one pass, longest first, and only where they are not part of a longer identifier
/// (no letter, digit or underscore before; no letter or digit after). The original tool ran one <c>sed</c> per
/// name, which corrupted names that contain another template's name (<c>Smart</c> inside
/// <c>SmartImageDownloader</c>). An underscore may follow, so <c>X_test</c> is renamed with the file it names.
/// </remarks>
public sealed class SourceTemplate
{
    /// <summary>The placeholder for the destination cluster's user.</summary>
    public const string UserPlaceholder = "<user>";

    private readonly string user;
    private readonly IReadOnlyDictionary<string, string> renames;
    private readonly Regex? names;

    /// <param name="user">The destination user that replaces <c>&lt;user&gt;</c>.</param>
    /// <param name="renames">Template name → exported name for every algorithm of the workflow exported so far.</param>
    public SourceTemplate(string user, IReadOnlyDictionary<string, string> renames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(renames);
        this.user = user;
        this.renames = renames;
        if (renames.Count > 0)
        {
            var alternatives = renames.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).Select(Regex.Escape);
            names = new Regex($"(?<![A-Za-z0-9_])(?:{string.Join('|', alternatives)})(?![A-Za-z0-9])",
                RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Renders the contents of one text file.</summary>
    public string RenderText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RenameAlgorithms(text.Replace(UserPlaceholder, user, StringComparison.Ordinal));
    }

    /// <summary>Renders one file or folder name (a single path segment).</summary>
    public string RenderFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return RenameAlgorithms(fileName);
    }

    private string RenameAlgorithms(string text) =>
        names is null ? text : names.Replace(text, match => renames[match.Value]);
}
