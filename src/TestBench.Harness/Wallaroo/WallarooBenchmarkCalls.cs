using System.Globalization;
using System.Text.Json.Nodes;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;
using TestBench.Harness.Measuring;
using TestBench.Harness.Running;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// The benchmark's calls on Wallaroo: each a <c>run_once</c> task of the exported orchestration (its
/// <see cref="ExportedAlgorithm.Version"/>) with <c>{"input": payload}</c>, its result read from the run's logs. The
/// latency is Wallaroo's own: task created → run ended. Each run's start latency (to its code's first log line) and log
/// lag are kept for
/// <see cref="TakeTimingSummary"/>.
/// </summary>
public sealed class WallarooBenchmarkCalls(TaskRunner runner) : IBenchmarkCalls
{
    private readonly TaskCallRecorder recorder = new();

    public bool CallsAreTaskRuns => true;

    /// <summary>A call here already is an asynchronous task run, started and then awaited.</summary>
    public string? AsyncCallsUnsupported => "On Wallaroo every call already is a task run that is started and then awaited, so 'async' means nothing there";

    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var rendered = payload?.DeepClone();
        var taskName = $"{entrypoint.ExportedName}-call";
        return cancellationToken => recorder.AnswerAsync(() => runner.RunOnceAsync(entrypoint.Version, taskName, rendered, timeoutSeconds, cancellationToken));
    }

    /// <summary>Start latency, run time and log lag (p50, p99) of the task runs since the last summary.</summary>
    public string? TakeTimingSummary()
    {
        var taken = recorder.Take();
        return taken.Length == 0 ? null : Summarize(taken);
    }

    /// <summary>Lines of log shown from the last run.</summary>
    private const int LogLinesShown = 10;

    /// <summary>"Wallaroo task runs (n): start latency p50 … p99 …; run latency …; log lag …; by the task's own clock: load …,
    /// apply …", then the last run's log.</summary>
    /// <param name="runs">The runs, oldest first.</param>
    /// <param name="origin">What their times count from: "task created", or a scheduled run's "tick".</param>
    public static string Summarize(IReadOnlyList<TaskOutcome> runs, string origin = "task created")
    {
        ArgumentNullException.ThrowIfNull(runs);
        var last = runs[^1];
        var log = last.Logs.TakeLast(LogLinesShown).Select(line => $"{Environment.NewLine}  {line}");
        return $"Wallaroo task runs ({runs.Count}, warm-up included): start latency ({origin} → its code's first log line) {Percentiles(runs.Select(r => r.StartSeconds))}; "
            + $"run latency ({origin} → run ended) {Percentiles(runs.Select(r => r.TotalSeconds))}; "
            + $"log lag (run ended → result line in its logs) {Percentiles(runs.Select(r => r.LogLagSeconds).OfType<double>())}"
            + CodeTimes(runs)
            + $"{Environment.NewLine}log of the last run ({last.Run.RunId}, {last.Run.Status}, last {Math.Min(LogLinesShown, last.Logs.Count)} of {last.Logs.Count} lines):{string.Concat(log)}";
    }

    /// <summary>"; by the task's clock: load … ; apply …" for the runs whose logs carry their code phases, else nothing.</summary>
    private static string CodeTimes(IReadOnlyList<TaskOutcome> runs)
    {
        CodePhases[] phases = [.. runs.Select(r => r.Phases).OfType<CodePhases>()];
        return phases.Length == 0
            ? ""
            : $"; by the task's own clock, over {phases.Length} of them: load (first line → algorithm imported and loaded) {Percentiles(phases.Select(p => p.LoadSeconds))}, apply {Percentiles(phases.Select(p => p.ApplySeconds))}";
    }

    /// <summary>"p50 … ms, p99 … ms" of <paramref name="seconds"/>, or "none".</summary>
    internal static string Percentiles(IEnumerable<double> seconds)
    {
        double[] sorted = [.. seconds.Order()];
        return sorted.Length == 0
            ? "none"
            : string.Create(CultureInfo.InvariantCulture, $"p50 {NearestRank.Of(sorted, 50) * 1000:0.#} ms, p99 {NearestRank.Of(sorted, 99) * 1000:0.#} ms");
    }
}
