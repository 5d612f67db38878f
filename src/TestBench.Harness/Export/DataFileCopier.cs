using Microsoft.Extensions.Logging;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Copies an algorithm's data files from the source cluster into <c>data://&lt;user&gt;/&lt;exported name&gt;/</c>,
/// streamed (never held in memory), a few at a time. A file already there with the same size is skipped;
/// every copy is verified by size afterwards, and a failed copy is retried from the start, bounded. Returns the bytes
/// copied (skipped files not counted), for the copy's speed.
/// </summary>
internal sealed partial class DataFileCopier(ExportTarget target)
{
    private const int Attempts = 3;

    public async Task<long> CopyAsync(IReadOnlyList<string> dataFiles, string owner, string collection, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = $"data://{owner}/{collection}";
        long copied = 0;
        await target.Destination.CreateFolderAsync($"data://{owner}", collection, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            dataFiles,
            new ParallelOptions { MaxDegreeOfParallelism = target.CopyParallelism, CancellationToken = cancellationToken },
            async (source, token) => Interlocked.Add(ref copied, await CopyOneAsync(source, $"{folder}/{DataUri.FileName(source)}", logger, token).ConfigureAwait(false))).ConfigureAwait(false);
        return copied;
    }

    /// <summary>Copies one file; the bytes copied, 0 when it was already there.</summary>
    private async Task<long> CopyOneAsync(string source, string destination, ILogger logger, CancellationToken cancellationToken)
    {
        var size = await target.Source.FileSizeAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{source} does not exist on the source cluster");
        if (await target.Destination.FileSizeAsync(destination, cancellationToken).ConfigureAwait(false) == size)
        {
            LogSkipped(logger, source, size);
            return 0;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (var download = await target.Source.DownloadAsync(source, cancellationToken).ConfigureAwait(false))
                await using (var stream = await download.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
                {
                    await target.Destination.UploadAsync(destination, stream, size, cancellationToken).ConfigureAwait(false);
                }

                var copied = await target.Destination.FileSizeAsync(destination, cancellationToken).ConfigureAwait(false);
                if (copied != size)
                {
                    throw new IOException($"{destination} has {copied?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} bytes after the copy; {source} has {size}");
                }

                LogCopied(logger, source, destination, size);
                return size;
            }
            catch (Exception e) when (attempt < Attempts && e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(logger, source, attempt, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data file {Source} ({Bytes} bytes) is already on the destination; skipped")]
    private static partial void LogSkipped(ILogger logger, string source, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied {Source} to {Destination}: {Bytes} bytes")]
    private static partial void LogCopied(ILogger logger, string source, string destination, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying {Source} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetrying(ILogger logger, string source, int attempt, string reason);
}
