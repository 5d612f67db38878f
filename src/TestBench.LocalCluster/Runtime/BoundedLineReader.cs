using System.Text;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// Reads lines from a stream in fixed-size blocks, keeping at most <paramref name="maxLineChars"/> characters of each
/// (<see cref="StreamReader.ReadLineAsync()"/> would hold a whole 50 MB line in memory at once).
/// </summary>
/// <param name="reader">The stream.</param>
/// <param name="maxLineChars">How much of one line is kept.</param>
internal sealed class BoundedLineReader(StreamReader reader, int maxLineChars)
{
    private readonly char[] block = new char[8192];
    private readonly StringBuilder line = new();
    private int blockLength;
    private int blockPosition;
    private long cutBytes;

    /// <summary>The next line (without its newline) and the UTF-8 bytes cut from it; <see langword="null"/> at the end of the stream.</summary>
    public async Task<(string Line, long CutBytes)?> ReadLineAsync()
    {
        while (true)
        {
            if (blockPosition == blockLength)
            {
                blockLength = await reader.ReadAsync(block).ConfigureAwait(false);
                blockPosition = 0;
                if (blockLength == 0)
                {
                    return line.Length > 0 || cutBytes > 0 ? Finish() : null;
                }
            }

            var newline = Array.IndexOf(block, '\n', blockPosition, blockLength - blockPosition);
            var end = newline < 0 ? blockLength : newline;
            Keep(blockPosition, end - blockPosition);
            blockPosition = newline < 0 ? blockLength : newline + 1;
            if (newline >= 0)
            {
                return Finish();
            }
        }
    }

    private void Keep(int start, int count)
    {
        var room = Math.Clamp(maxLineChars - line.Length, 0, count);
        line.Append(block, start, room);
        if (room < count)
        {
            cutBytes += Encoding.UTF8.GetByteCount(block, start + room, count - room);
        }
    }

    private (string, long) Finish()
    {
        var text = line.ToString().TrimEnd('\r');
        var cut = cutBytes;
        line.Clear();
        cutBytes = 0;
        return (text, cut);
    }
}
