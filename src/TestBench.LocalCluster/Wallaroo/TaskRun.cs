using System.Globalization;
using System.Text.Json.Nodes;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>One execution of a task: <c>running</c>, then <c>success</c> or <c>failure</c>, with its log lines in the
/// Kubernetes CRI format (<c>&lt;RFC 3339 ns&gt; stdout|stderr F &lt;text&gt;</c>): the last <paramref name="maxLogChars"/>
/// characters, after one line counting what was not kept.</summary>
public sealed class TaskRun(string taskId, int maxLogChars)
{
    private OutputTail log = new(maxLogChars);

    public required string Id { get; init; }

    public string TaskId { get; } = taskId;

    public string Status { get; set; } = "running";

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Adds one line as the container runtime would log it.</summary>
    /// <param name="stream"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="text">The line, without its newline.</param>
    /// <param name="at">When it was read.</param>
    /// <param name="cutBytes">Bytes its reader already cut from the line.</param>
    public void Log(string stream, string text, DateTimeOffset at, long cutBytes = 0)
    {
        // RFC 3339 with nanoseconds: .NET keeps 100 ns ticks, the last two digits are zero.
        Volatile.Read(ref log).Add($"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}00Z {stream} F {text}", cutBytes);
    }

    /// <summary>The last <paramref name="lines"/> lines (all when null); a run whose log overflowed starts with a note.</summary>
    public IReadOnlyList<string> Logs(int? lines)
    {
        var all = Volatile.Read(ref log).Lines();
        return lines is { } tail ? [.. all.TakeLast(tail)] : all;
    }

    /// <summary>Kill deletes a task's run logs.</summary>
    public void ClearLogs() => Volatile.Write(ref log, new OutputTail(maxLogChars));

    public JsonObject ToJson(bool includeTask = true)
    {
        var json = new JsonObject
        {
            ["run_id"] = Id,
            ["status"] = Status,
            ["created_at"] = WallarooTime.Format(CreatedAt),
            ["updated_at"] = WallarooTime.Format(UpdatedAt),
        };
        if (includeTask)
        {
            json["task"] = TaskId;
        }

        return json;
    }
}
