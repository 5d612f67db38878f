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

    /// <summary>
    /// Renders a text of any length from <paramref name="input"/> to <paramref name="output"/>, holding at most one
    /// block plus one unbroken run of name characters in memory.
    /// </summary>
    /// <remarks>
    /// The text is cut only after a character that can be neither part of a name nor of <c>&lt;user&gt;</c> (not a
    /// letter, digit, underscore, <c>&lt;</c> or <c>&gt;</c>): no replacement spans such a cut, and the character
    /// before it is what the name pattern looks behind at, so each piece renders exactly as within the whole text.
    /// </remarks>
    /// <exception cref="InvalidDataException">The text has a run of more than <paramref name="maxRunChars"/> characters with no such cut.</exception>
    public async Task RenderAsync(TextReader input, TextWriter output, CancellationToken cancellationToken, int blockChars = 64 * 1024, int maxRunChars = 16 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockChars, 1);
        var pending = new char[Math.Max(blockChars * 2, 16)];
        var length = 0;
        var scanned = 0;
        while (true)
        {
            if (pending.Length - length < blockChars)
            {
                Array.Resize(ref pending, pending.Length * 2);
            }

            var read = await input.ReadAsync(pending.AsMemory(length, blockChars), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                await output.WriteAsync(RenderText(new string(pending, 0, length)).AsMemory(), cancellationToken).ConfigureAwait(false);
                return;
            }

            length += read;
            var cut = LastCut(pending, scanned, length);
            if (cut < 0)
            {
                scanned = length;
                if (length > maxRunChars)
                {
                    throw new InvalidDataException($"the text has a run of more than {maxRunChars} characters without a space, line break or punctuation; it cannot be templated piecewise");
                }

                continue;
            }

            await output.WriteAsync(RenderText(new string(pending, 0, cut)).AsMemory(), cancellationToken).ConfigureAwait(false);
            Array.Copy(pending, cut, pending, 0, length - cut);
            length -= cut;
            scanned = length;
        }
    }

    /// <summary>The last index in [<paramref name="from"/> + 1, <paramref name="to"/>] whose preceding character is a cut point, or -1.</summary>
    private static int LastCut(char[] text, int from, int to)
    {
        for (var i = to - 1; i >= from; i--)
        {
            if (!IsNameOrPlaceholderChar(text[i]))
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static bool IsNameOrPlaceholderChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '<' or '>';

    /// <summary>Renders one file or folder name (a single path segment).</summary>
    public string RenderFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return RenameAlgorithms(fileName);
    }

    private string RenameAlgorithms(string text) =>
        names is null ? text : names.Replace(text, match => renames[match.Value]);
}
