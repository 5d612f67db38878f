namespace TestBench.LocalCluster.Storage;

/// <summary>
/// Hosted data on disk: one folder per owner, collections as folders, files as files. Uploads are streamed
/// into a temporary file on the same file system and renamed into place when complete, so a failed or cut
/// upload never leaves a partial file. Every path comes in as a <see cref="DataPath"/>, which cannot escape.
/// </summary>
public sealed class DataStore
{
    private readonly string root;
    private readonly string uploads;

    public DataStore(string dataDirectory)
    {
        root = Path.GetFullPath(Path.Combine(dataDirectory, "data"));
        uploads = Path.GetFullPath(Path.Combine(dataDirectory, "uploads"));
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(uploads);
        foreach (var leftover in Directory.EnumerateFiles(uploads))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>Whether the path is a file, a folder, or nothing.</summary>
    public DataKind KindOf(DataPath path)
    {
        var full = FullPath(path);
        return File.Exists(full) ? DataKind.File : Directory.Exists(full) ? DataKind.Folder : DataKind.None;
    }

    /// <summary>Creates an owner's top-level folder if it is missing (users always have one).</summary>
    public void EnsureOwner(string owner) => Directory.CreateDirectory(Path.Combine(root, owner));

    /// <summary>Creates a folder and its parents if missing.</summary>
    public void EnsureFolder(DataPath path) => Directory.CreateDirectory(FullPath(path));

    /// <summary>Creates a folder; <see langword="false"/> when something already has that name.</summary>
    public bool CreateFolder(DataPath path)
    {
        var full = FullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            return false;
        }

        Directory.CreateDirectory(full);
        return true;
    }

    /// <summary>One page of a folder's entries, folders first, each group by ordinal name.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="marker">The marker from the previous page, or <see langword="null"/> for the first.</param>
    /// <param name="pageSize">Entries per page.</param>
    /// <returns>The entries and the marker of the next page (<see langword="null"/> on the last page).</returns>
    public (IReadOnlyList<DataEntry> Entries, string? NextMarker) List(DataPath path, string? marker, int pageSize)
    {
        var directory = new DirectoryInfo(FullPath(path));
        var entries = directory.EnumerateDirectories().Select(d => new DataEntry(d.Name, true, 0, d.LastWriteTimeUtc))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Concat(directory.EnumerateFiles().Select(f => new DataEntry(f.Name, false, f.Length, f.LastWriteTimeUtc)).OrderBy(e => e.Name, StringComparer.Ordinal))
            .ToArray();
        var start = marker is null ? 0 : int.Parse(marker, System.Globalization.CultureInfo.InvariantCulture);
        var page = entries.Skip(start).Take(pageSize).ToArray();
        var next = start + page.Length < entries.Length ? (start + page.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return (page, next);
    }

    /// <summary>Opens a file for streaming reads.</summary>
    public FileStream OpenRead(DataPath path) =>
        new(FullPath(path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);

    /// <summary>The file's size and time, for HEAD answers.</summary>
    public FileInfo Describe(DataPath path) => new(FullPath(path));

    /// <summary>
    /// Streams <paramref name="content"/> into the file, replacing it only once every byte has arrived.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public async Task<long> WriteAsync(DataPath path, Stream content, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        var temporary = Path.Combine(uploads, Guid.NewGuid().ToString("N"));
        try
        {
            long length;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, 81920, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                length = file.Length;
            }

            File.Move(temporary, target, overwrite: true);
            return length;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Deletes a file.</summary>
    public void DeleteFile(DataPath path) => File.Delete(FullPath(path));

    /// <summary>Deletes a folder and returns how many files it held; a non-empty folder needs <paramref name="force"/>.</summary>
    /// <returns>The number of files deleted, or <see langword="null"/> when the folder is not empty and force is off.</returns>
    public int? DeleteFolder(DataPath path, bool force)
    {
        var full = FullPath(path);
        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Count();
        if (!force && Directory.EnumerateFileSystemEntries(full).Any())
        {
            return null;
        }

        Directory.Delete(full, recursive: true);
        return files;
    }

    /// <summary>The owners that have data, for the root listing.</summary>
    public IEnumerable<string> Owners() => Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>();

    private string FullPath(DataPath path)
    {
        var full = Path.GetFullPath(Path.Combine([root, .. path.Segments]));
        // DataPath already refuses '..'; this is the second lock on the same door.
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"'{path.Uri}' resolves outside the data directory.");
        }

        return full;
    }
}

/// <summary>What a data path names.</summary>
public enum DataKind
{
    None,
    File,
    Folder,
}
