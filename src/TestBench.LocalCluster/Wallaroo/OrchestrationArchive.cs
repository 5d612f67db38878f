using System.IO.Compression;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>
/// An uploaded orchestration ZIP, checked by Wallaroo's rules and unpacked safely: the entrypoint is the root
/// <c>main.py</c>, else the first <c>main.py</c> in a subfolder (shallowest, then by path); at most one
/// <c>requirements.txt</c>; no entry may climb out with <c>..</c> or be absolute; unpacked size bounded.
/// </summary>
public sealed record OrchestrationArchive(string EntrypointFolder, string? RequirementsPath)
{
    private const long MaxTotalBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Unpacks <paramref name="zip"/> into <paramref name="target"/>; the folders are inside it.</summary>
    /// <exception cref="InvalidDataException">The ZIP breaks a rule; the message says which.</exception>
    public static OrchestrationArchive Extract(byte[] zip, string target)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the file is not a ZIP archive: {e.Message}", e);
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToArray();
            foreach (var entry in files)
            {
                var parts = entry.FullName.Replace('\\', '/').Split('/');
                if (entry.FullName.StartsWith('/') || entry.FullName.StartsWith('\\') || parts.Contains("..") || Path.IsPathRooted(entry.FullName))
                {
                    throw new InvalidDataException($"entry '{entry.FullName}' climbs out of the archive or is absolute");
                }
            }

            var mains = files.Select(e => e.FullName.Replace('\\', '/')).Where(name => name == "main.py" || name.EndsWith("/main.py", StringComparison.Ordinal))
                .OrderBy(name => name.Count(c => c == '/')).ThenBy(name => name, StringComparer.Ordinal).ToArray();
            if (mains.Length == 0)
            {
                throw new InvalidDataException("the archive has no main.py (at its root or in a subfolder)");
            }

            var requirements = files.Select(e => e.FullName.Replace('\\', '/')).Where(name => name == "requirements.txt" || name.EndsWith("/requirements.txt", StringComparison.Ordinal)).ToArray();
            if (requirements.Length > 1)
            {
                throw new InvalidDataException($"the archive has {requirements.Length} requirements.txt files ({string.Join(", ", requirements)}); at most one is allowed");
            }

            if (files.Sum(e => e.Length) > MaxTotalBytes)
            {
                throw new InvalidDataException($"the archive unpacks to more than {MaxTotalBytes / (1024 * 1024 * 1024)} GiB");
            }

            var root = Path.GetFullPath(target);
            foreach (var entry in files)
            {
                var destination = Path.GetFullPath(Path.Combine(root, entry.FullName.Replace('\\', '/')));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                entry.ExtractToFile(destination, overwrite: false);
            }

            var entrypoint = Path.GetDirectoryName(Path.Combine(root, mains[0]))!;
            return new OrchestrationArchive(entrypoint, requirements.Length == 1 ? Path.Combine(root, requirements[0]) : null);
        }
    }
}
