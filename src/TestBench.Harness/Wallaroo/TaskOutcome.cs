using System.Text;
using System.Text.Json.Nodes;
using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// What one task run came to: its status, the result its log carried, and its times — start latency and run time by
/// Wallaroo's clock (task created → the code's first log line, task created → run ended), log lag by the harness's
/// (run seen ended → result line seen in the logs).
/// </summary>
public sealed record TaskOutcome
{
    public required string TaskId { get; init; }

    public required TaskRunInfo Run { get; init; }

    /// <summary>The run's log lines as read once the result was found (or the wait for it ended).</summary>
    public required IReadOnlyList<string> Logs { get; init; }

    /// <summary>The JSON the run printed on its result line; meaningful when <see cref="ResultFound"/>.</summary>
    public JsonNode? Result { get; init; }

    public bool ResultFound { get; init; }

    /// <summary>Seconds from the task's creation (or a scheduled run's tick) to its code's first log line (else the run's creation).</summary>
    public required double StartSeconds { get; init; }

    /// <summary>Seconds from the task's creation to its run's end: a benchmark call's latency.</summary>
    public required double TotalSeconds { get; init; }

    /// <summary>Seconds from seeing the run end to seeing its result line; null when no result line came.</summary>
    public double? LogLagSeconds { get; init; }

    /// <summary>Where the code spent its time by the task's clock; null when its log does not say.</summary>
    public CodePhases? Phases { get; init; }

    public bool Succeeded => Run.Status == "success" && ResultFound;

    /// <summary>The outcome as a call's answer: the result, or an error naming the run's status and its last stderr lines.</summary>
    public CallResponse ToCallResponse()
    {
        if (Succeeded)
        {
            return CallResponse.BareResult(200, Encoding.UTF8.GetBytes(Result?.ToJsonString() ?? "null"), TotalSeconds);
        }

        var reason = Run.Status == "success"
            ? $"task run {Run.RunId} succeeded but its log has no {OrchestrationPackage.ResultMarker.Trim()} line"
            : $"task run {Run.RunId} ended with status {Run.Status}";
        var errors = Logs.Where(line => line.Contains(" stderr ", StringComparison.Ordinal)).TakeLast(3).Select(Text).ToArray();
        return CallResponse.Error(200, errors.Length > 0 ? $"{reason}: {string.Join(" | ", errors)}" : reason, "TaskRunFailure", TotalSeconds);
    }

    /// <summary>A CRI log line's text: what follows the timestamp, the stream and the F/P tag.</summary>
    private static string Text(string line) => line.Split(' ', 4) is [_, _, _, var text] ? text : line;
}
