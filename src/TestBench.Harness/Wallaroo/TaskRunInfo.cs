using TestBench.Harness.Resilience;

namespace TestBench.Harness.Wallaroo;

/// <summary>One task run as <c>task/list_task_runs</c> lists it.</summary>
public sealed record TaskRunInfo(string RunId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <exception cref="TargetFaultException">The run has no <c>run_id</c>, or a field of the wrong type.</exception>
    public static TaskRunInfo From(JsonReply run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run.Id("run_id"),
            run.OptionalText("status") ?? "unknown",
            DateTimeOffset.TryParse(run.OptionalText("created_at"), System.Globalization.CultureInfo.InvariantCulture, out var created) ? created : default,
            DateTimeOffset.TryParse(run.OptionalText("updated_at"), System.Globalization.CultureInfo.InvariantCulture, out var updated) ? updated : default);
    }
}
