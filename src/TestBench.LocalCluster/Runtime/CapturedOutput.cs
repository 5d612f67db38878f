using System.Globalization;
using System.Text;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// What a worker printed since it was last taken, kept up to a limit: beyond it only a count of the bytes left
/// out grows, so the server's memory stays bounded whatever an algorithm prints. Not thread-safe: the worker
/// holds its lock around it.
/// </summary>
/// <param name="limitBytes">How much is kept, in UTF-8 bytes.</param>
internal sealed class CapturedOutput(int limitBytes)
{
    private readonly StringBuilder kept = new();
    private long keptBytes;
    private long droppedBytes;

    /// <summary>Adds a line (its newline included), or counts it as left out once the limit is reached.</summary>
    /// <param name="line">The line as read (already cut at the reader's limit).</param>
    /// <param name="cutBytes">Bytes of the line the reader already left out.</param>
    public void AppendLine(string line, long cutBytes)
    {
        var bytes = Encoding.UTF8.GetByteCount(line) + 1;
        droppedBytes += cutBytes;
        if (keptBytes + bytes > limitBytes)
        {
            droppedBytes += bytes;
            return;
        }

        kept.Append(line).Append('\n');
        keptBytes += bytes;
    }

    /// <summary>Everything kept, with <c>[… N bytes truncated]</c> when anything was left out; then starts afresh.</summary>
    public string Take()
    {
        var text = droppedBytes > 0
            ? kept.Append(CultureInfo.InvariantCulture, $"[… {droppedBytes} bytes truncated]\n").ToString()
            : kept.ToString();
        kept.Clear();
        keptBytes = 0;
        droppedBytes = 0;
        return text;
    }
}
