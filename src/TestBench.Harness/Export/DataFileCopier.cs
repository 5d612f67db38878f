using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Copies an algorithm's data files from the source cluster into <c>data://&lt;user&gt;/&lt;exported name&gt;/</c>,
/// streamed (never held in memory), a few at a time. A file already there with the same size is skipped;
/// every copy is verified by size afterwards, and a failed copy is made again from the start, bounded. Returns the bytes
/// copied (skipped files not counted), for the copy's speed.
/// </summary>
internal sealed partial class DataFileCopier(ExportTarget target, TimeProvider time)
{
    private const int Attempts = 3;

    public async Task<long> CopyAsync(IReadOnlyList<string> dataFiles, string owner, string collection, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = $"data://{owner}/{collection}";
        long copied = 0;
        await target.Destination.Data.CreateFolderAsync($"data://{owner}", collection, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            dataFiles,
            new ParallelOptions { MaxDegreeOfParallelism = target.CopyParallelism, CancellationToken = cancellationToken },
            async (source, token) => Interlocked.Add(ref copied, await CopyOneAsync(source, $"{folder}/{DataUri.FileName(source)}", logger, token).ConfigureAwait(false))).ConfigureAwait(false);
        return copied;
    }

    /// <summary>Copies one file; the bytes copied, 0 when it was already there.</summary>
    private async Task<long> CopyOneAsync(string source, string destination, ILogger logger, CancellationToken cancellationToken)
    {
        var size = await target.Source.Data.FileSizeAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{source} does not exist on the source cluster");
        if (await target.Destination.Data.FileSizeAsync(destination, cancellationToken).ConfigureAwait(false) == size)
        {
            LogSkipped(logger, source, size);
            return 0;
        }

        await Retries(logger, source).ExecuteAsync(
            async token =>
            {
                using (var download = await target.Source.Data.DownloadAsync(source, token).ConfigureAwait(false))
                await using (var stream = await download.Content.ReadAsStreamAsync(token).ConfigureAwait(false))
                {
                    await target.Destination.Data.UploadAsync(destination, stream, size, token).ConfigureAwait(false);
                }

                var copied = await target.Destination.Data.FileSizeAsync(destination, token).ConfigureAwait(false);
                if (copied != size)
                {
                    throw new IOException($"{destination} has {copied?.ToString(CultureInfo.InvariantCulture) ?? "no"} bytes after the copy; {source} has {size}");
                }
            },
            cancellationToken).ConfigureAwait(false);
        LogCopied(logger, source, destination, size);
        return size;
    }

    /// <summary>A failed copy (a dropped connection, a short file) is made again from the start: 3 attempts in all, 1 s then 2 s apart.</summary>
    private ResiliencePipeline Retries(ILogger logger, string source) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = false,
                ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<HttpRequestException>().Handle<Resilience.TargetFaultException>(e => e.Kind is not Resilience.FaultKind.BadReply),
                OnRetry = args =>
                {
                    LogRetrying(logger, source, args.AttemptNumber + 1, args.Outcome.Exception!.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "Data file {Source} ({Bytes} bytes) is already on the destination; skipped")]
    private static partial void LogSkipped(ILogger logger, string source, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied {Source} to {Destination}: {Bytes} bytes")]
    private static partial void LogCopied(ILogger logger, string source, string destination, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying {Source} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetrying(ILogger logger, string source, int attempt, string reason);
}
