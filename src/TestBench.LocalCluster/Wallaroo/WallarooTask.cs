using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>A way to run an orchestration — once, on a cron schedule, or continuously — and its runs.</summary>
public sealed class WallarooTask
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required long WorkspaceId { get; init; }

    public required Orchestration Orchestration { get; init; }

    /// <summary><c>exec_orch_oneshot</c>, <c>exec_orch_scheduled</c> or <c>exec_orch_continuous</c>.</summary>
    public required string Flavor { get; init; }

    public string? Schedule { get; init; }

    /// <summary>The task's arguments (its <c>json</c>), what <c>task_args()</c> returns.</summary>
    public required JsonObject InputData { get; init; }

    /// <summary>A run's time limit.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary><c>pending</c>, <c>started</c>, <c>failed</c> or <c>pending_kill</c>.</summary>
    public string Status { get; set; } = "pending";

    public bool Killed { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Cancelled by kill: stops the runs and the schedule.</summary>
    public CancellationTokenSource Stop { get; } = new();

    public List<TaskRun> Runs { get; } = [];

    public JsonObject ToJson()
    {
        TaskRun[] runs;
        lock (Runs)
        {
            runs = [.. Runs];
        }

        return new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["workspace_id"] = WorkspaceId,
            ["orch_id"] = Orchestration.Id,
            ["flavor"] = Flavor,
            ["exec_type"] = "job",
            ["schedule"] = Schedule,
            ["input_data"] = InputData.DeepClone(),
            ["status"] = Status,
            ["killed"] = Killed,
            ["reap_threshold_secs"] = (long)Timeout.TotalSeconds,
            ["created_at"] = CreatedAt.ToString("O"),
            ["updated_at"] = UpdatedAt.ToString("O"),
            ["last_runs"] = new JsonArray([.. runs.OrderByDescending(r => r.CreatedAt).Take(10).Select(r => (JsonNode)r.ToJson(includeTask: false))]),
        };
    }
}
