using System.Formats.Tar;
using System.IO.Compression;

namespace TestBench.Harness.Export;

/// <summary>
/// Extracts a tar.gz that came from a cluster, refusing anything that could write outside the target folder
/// or that is not a plain file or folder: absolute names, <c>..</c>, links, devices and FIFOs. Refusal names the
/// entry; nothing is extracted from a refused archive.
/// </summary>
public static class SafeTarExtractor
{
    private const long MaxTotalBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>Extracts <paramref name="tarGz"/> into <paramref name="target"/>.</summary>
    /// <exception cref="InvalidDataException">The archive is refused; the message names the entry and why.</exception>
    public static async Task ExtractAsync(Stream tarGz, string target, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(target);
        var staging = root + ".partial";
        Directory.CreateDirectory(staging);
        try
        {
            await using var gzip = new GZipStream(tarGz, CompressionMode.Decompress);
            await using var reader = new TarReader(gzip);
            long total = 0;
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var destination = Destination(staging, entry);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(destination);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        total += entry.Length;
                        if (total > MaxTotalBytes)
                        {
                            throw new InvalidDataException($"the archive unpacks to more than {MaxTotalBytes / (1024 * 1024 * 1024)} GiB");
                        }

                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken).ConfigureAwait(false);
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break;
                    default:
                        throw new InvalidDataException($"entry '{entry.Name}' is a {entry.EntryType}; only files and folders are accepted");
                }
            }

            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Directory.Move(staging, root);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private static string Destination(string root, TarEntry entry)
    {
        var name = entry.Name.Replace('\\', '/');
        if (name.StartsWith('/') || Path.IsPathRooted(name))
        {
            throw new InvalidDataException($"entry '{entry.Name}' has an absolute path");
        }

        if (name.Split('/').Any(segment => segment == ".."))
        {
            throw new InvalidDataException($"entry '{entry.Name}' climbs out with '..'");
        }

        var destination = Path.GetFullPath(Path.Combine(root, name));
        if (destination != root && !destination.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"entry '{entry.Name}' would be written outside the target folder");
        }

        return destination;
    }
}
