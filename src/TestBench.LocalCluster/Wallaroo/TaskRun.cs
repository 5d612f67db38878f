using System.Globalization;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>One execution of a task: <c>running</c>, then <c>success</c> or <c>failure</c>, with its log lines in the
/// Kubernetes CRI format (<c>&lt;RFC 3339 ns&gt; stdout|stderr F &lt;text&gt;</c>), bounded.</summary>
public sealed class TaskRun(string taskId)
{
    /// <summary>Log lines kept per run; more are counted in one closing line.</summary>
    public const int MaxLogLines = 10_000;

    private readonly List<string> log = [];
    private long dropped;

    public required string Id { get; init; }

    public string TaskId { get; } = taskId;

    public string Status { get; set; } = "running";

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Adds one line as the container runtime would log it.</summary>
    public void Log(string stream, string text, DateTimeOffset at)
    {
        lock (log)
        {
            if (log.Count < MaxLogLines)
            {
                // RFC 3339 with nanoseconds: .NET keeps 100 ns ticks, the last two digits are zero.
                log.Add($"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}00Z {stream} F {text}");
            }
            else
            {
                dropped++;
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines (all when null); a run whose log overflowed ends with a note.</summary>
    public IReadOnlyList<string> Logs(int? lines)
    {
        lock (log)
        {
            IEnumerable<string> all = dropped > 0 ? [.. log, $"[… {dropped} more lines not kept]"] : log;
            return [.. lines is { } tail ? all.TakeLast(tail) : all];
        }
    }

    /// <summary>Kill deletes a task's run logs.</summary>
    public void ClearLogs()
    {
        lock (log)
        {
            log.Clear();
            dropped = 0;
        }
    }

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
