using System.Text;

namespace TestBench.Harness.Processes;

/// <summary>
/// Reads lines from a stream in fixed-size blocks, keeping at most <paramref name="maxLineChars"/> characters of each
/// (<see cref="StreamReader.ReadLineAsync()"/> would hold a whole 50 MB line in memory at once).
/// </summary>
/// <param name="reader">The stream.</param>
/// <param name="maxLineChars">How much of one line is kept.</param>
public sealed class BoundedLineReader(StreamReader reader, int maxLineChars)
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
            if (blockPosition == blockLength && !Refilled(await reader.ReadAsync(block).ConfigureAwait(false)))
            {
                return AtEnd();
            }

            if (TakeLine() is { } complete)
            {
                return complete;
            }
        }
    }

    /// <summary>As <see cref="ReadLineAsync"/>, blocking: for a dedicated thread reading a FIFO.</summary>
    public (string Line, long CutBytes)? ReadLine()
    {
        while (true)
        {
            if (blockPosition == blockLength && !Refilled(reader.Read(block)))
            {
                return AtEnd();
            }

            if (TakeLine() is { } complete)
            {
                return complete;
            }
        }
    }

    private bool Refilled(int read)
    {
        blockLength = read;
        blockPosition = 0;
        return read > 0;
    }

    private (string, long)? AtEnd() => line.Length > 0 || cutBytes > 0 ? Finish() : null;

    /// <summary>Keeps the block up to the next newline; the finished line when there was one.</summary>
    private (string, long)? TakeLine()
    {
        var newline = Array.IndexOf(block, '\n', blockPosition, blockLength - blockPosition);
        var end = newline < 0 ? blockLength : newline;
        Keep(blockPosition, end - blockPosition);
        blockPosition = newline < 0 ? blockLength : newline + 1;
        return newline >= 0 ? Finish() : null;
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
