using System.Text;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Produces the files pushed for an algorithm: <c>src/</c> and <c>requirements.txt</c>, from the source cluster's
/// tar.gz (<c>code_path</c>) or from <c>algorithms/&lt;Name&gt;/</c>, with templating applied to contents and names.
/// </summary>
internal sealed class SourcePackager(ExportTarget target)
{
    /// <summary>Writes the rendered package into <paramref name="directory"/>.</summary>
    public async Task PackageAsync(AlgorithmSpec algorithm, SourceTemplate template, string directory, CancellationToken cancellationToken)
    {
        var raw = directory + ".raw";
        try
        {
            if (algorithm.CodePath is { } codePath)
            {
                using var download = await target.Source.Data.DownloadAsync(codePath, cancellationToken).ConfigureAwait(false);
                await using var stream = await download.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await SafeTarExtractor.ExtractAsync(stream, raw, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                CopyTemplate(Path.Combine(target.Layout.AlgorithmsDirectory, algorithm.Name), raw);
            }

            if (!Directory.Exists(Path.Combine(raw, "src")))
            {
                throw new InvalidDataException($"the package has no src/ folder (it holds: {string.Join(", ", Directory.EnumerateFileSystemEntries(raw).Select(Path.GetFileName))})");
            }

            await RenderAsync(raw, directory, template, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(raw))
            {
                Directory.Delete(raw, recursive: true);
            }
        }
    }

    private static void CopyTemplate(string template, string target)
    {
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(template, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "__pycache__" || part.StartsWith('.')))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static async Task RenderAsync(string raw, string target, SourceTemplate template, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(raw, "*", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(raw, file).Split(Path.DirectorySeparatorChar);
            // Names are templated inside src/ only (src/X.py → src/X_s.py); contents of every text file.
            var renamed = parts.Select((part, i) => parts[0] == "src" && i > 0 ? template.RenderFileName(part) : part);
            var destination = Path.Combine([target, .. renamed]);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (parts[^1].StartsWith('.') || !IsText(bytes))
            {
                await File.WriteAllBytesAsync(destination, bytes, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await File.WriteAllTextAsync(destination, template.RenderText(Encoding.UTF8.GetString(bytes)), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsText(byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return false;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
