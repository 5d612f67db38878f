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

        // The keys of the tutorial's task objects (WallarooLabs/Wallaroo_Tutorials, orchestration API tutorial): a run-once
        // task shows flavor and exec_type, a scheduled one run_type CronJob. No secret is bound and no MinIO exists here,
        // and a run gets no API credential (auth_init false).
        var json = new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["image"] = WallarooService.TaskImage,
            ["image_tag"] = WallarooService.TaskImageTag,
            ["arch"] = "x86",
            ["bind_secrets"] = new JsonArray(),
            ["extra_env_vars"] = new JsonObject(ExtraEnvironment().Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            ["auth_init"] = false,
            ["workspace_id"] = WorkspaceId,
            ["orch_id"] = Orchestration.Id,
            ["schedule"] = Schedule,
            ["reap_threshold_secs"] = (long)Timeout.TotalSeconds,
            ["ns_prefix"] = null,
            ["input_data"] = InputData.DeepClone(),
            ["status"] = Status,
            ["killed"] = Killed,
            ["created_at"] = WallarooTime.Format(CreatedAt),
            ["updated_at"] = WallarooTime.Format(UpdatedAt),
            ["last_runs"] = new JsonArray([.. runs.OrderByDescending(r => r.CreatedAt).Take(10).Select(r => (JsonNode)r.ToJson(includeTask: false))]),
        };
        if (Schedule is null)
        {
            json["flavor"] = Flavor;
            json["exec_type"] = "job";
        }
        else
        {
            json["run_type"] = "CronJob";
        }

        return json;
    }

    /// <summary>The variables a run gets beside its code's own, as Wallaroo lists them in <c>extra_env_vars</c>.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment() => new Dictionary<string, string>
    {
        ["ORCH_ID"] = Orchestration.Id,
        ["ORCH_OWNER_ID"] = WallarooService.OwnerId,
        ["ORCH_SHA"] = Orchestration.Sha,
        ["TASK_DEBUG"] = "false",
        ["TASK_ID"] = Id,
    };
}
