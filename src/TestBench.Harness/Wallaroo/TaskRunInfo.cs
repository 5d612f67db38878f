using System.Text.Json.Nodes;

namespace TestBench.Harness.Wallaroo;

/// <summary>One task run as <c>task/list_task_runs</c> lists it.</summary>
public sealed record TaskRunInfo(string RunId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TaskRunInfo From(JsonObject run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run["run_id"]?.ToString() ?? throw new InvalidDataException("a task run has no run_id"),
            run["status"]?.ToString() ?? "unknown",
            DateTimeOffset.TryParse(run["created_at"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var created) ? created : default,
            DateTimeOffset.TryParse(run["updated_at"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var updated) ? updated : default);
    }
}
