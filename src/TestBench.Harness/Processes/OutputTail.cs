using System.Globalization;
using System.Text;

namespace TestBench.Harness.Processes;

/// <summary>
/// The end of what a process printed, within a budget: lines are kept whole (up to the budget each) and the oldest
/// ones give way when the budget is full. What was not kept is counted, and <see cref="ToString"/> says so first, so
/// that a build or run that prints gigabytes costs the server at most the budget.
/// </summary>
/// <param name="maxChars">The most characters kept, newlines included.</param>
public sealed class OutputTail(int maxChars)
{
    private readonly Queue<string> lines = new();
    private readonly Lock sync = new();
    private long keptChars;
    private long droppedLines;
    private long droppedBytes;

    /// <summary>Lines that were printed and not kept, in whole or in part.</summary>
    public long DroppedLines
    {
        get
        {
            lock (sync)
            {
                return droppedLines;
            }
        }
    }

    /// <summary>Adds a line (without its newline); <paramref name="cutBytes"/> were already cut from it by its reader.</summary>
    public void Add(string line, long cutBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(line);
        var kept = line.Length + 1 > maxChars ? line[..Math.Max(0, maxChars - 1)] : line;
        lock (sync)
        {
            if (cutBytes > 0 || kept.Length < line.Length)
            {
                droppedLines++;
                droppedBytes += cutBytes + Encoding.UTF8.GetByteCount(line.AsSpan(kept.Length));
            }

            lines.Enqueue(kept);
            keptChars += kept.Length + 1;
            while (keptChars > maxChars && lines.TryDequeue(out var oldest))
            {
                keptChars -= oldest.Length + 1;
                droppedLines++;
                droppedBytes += Encoding.UTF8.GetByteCount(oldest) + 1;
            }
        }
    }

    /// <summary>A note of what was not kept (if anything), then the kept lines.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (sync)
        {
            return droppedLines > 0
                ? [string.Create(CultureInfo.InvariantCulture, $"[… {droppedBytes} bytes in {droppedLines} lines not kept: only the last {maxChars} characters of output are]"), .. lines]
                : [.. lines];
        }
    }

    /// <summary>The kept lines, each ending in a newline, after a note of what was not kept (if anything).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Lines())
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
