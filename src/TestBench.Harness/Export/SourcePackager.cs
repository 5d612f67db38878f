using System.Text;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Produces the files pushed for an algorithm: <c>src/</c> and <c>requirements.txt</c>, from the source cluster's
/// tar.gz (<c>code_path</c>) or from <c>algorithms/&lt;Name&gt;/</c>, with templating applied to contents and names.
/// </summary>
internal sealed class SourcePackager(AlgorithmiaClient source, RepositoryLayout layout)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the rendered package into <paramref name="directory"/>.</summary>
    public async Task PackageAsync(AlgorithmSpec algorithm, SourceTemplate template, string directory, CancellationToken cancellationToken)
    {
        var raw = directory + ".raw";
        try
        {
            if (algorithm.CodePath is { } codePath)
            {
                using var download = await source.Data.DownloadAsync(codePath, cancellationToken).ConfigureAwait(false);
                await using var stream = await download.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await SafeTarExtractor.ExtractAsync(stream, raw, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                CopyTemplate(Path.Combine(layout.AlgorithmsDirectory, algorithm.Name), raw);
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
            if (parts[^1].StartsWith('.') || !await IsUtf8TextAsync(file, cancellationToken).ConfigureAwait(false))
            {
                File.Copy(file, destination, overwrite: true);
                continue;
            }

            // Streamed both ways: an entry of several GiB is rendered in bounded memory.
            using var reader = new StreamReader(file, Utf8, detectEncodingFromByteOrderMarks: false);
            await using var writer = new StreamWriter(destination, append: false, Utf8);
            try
            {
                await template.RenderAsync(reader, writer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{string.Join('/', parts)}: {e.Message}", e);
            }
        }
    }

    /// <summary>Whether the file is UTF-8 without NUL bytes (what the original tool's <c>sed</c> would edit), read in blocks.</summary>
    private static async Task<bool> IsUtf8TextAsync(string path, CancellationToken cancellationToken)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[bytes.Length + 1];
        await using var file = File.OpenRead(path);
        try
        {
            int read;
            while ((read = await file.ReadAsync(bytes, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (Array.IndexOf(bytes, (byte)0, 0, read) >= 0)
                {
                    return false;
                }

                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
