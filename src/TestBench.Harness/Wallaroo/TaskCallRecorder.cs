using System.Collections.Concurrent;
using System.Diagnostics;
using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// Turns task runs into the benchmark's call answers — a route's error or a run that never ended becomes a failed
/// answer, as a failed call's would — and keeps each run's outcome until the case output takes them.
/// </summary>
internal sealed class TaskCallRecorder
{
    private ConcurrentQueue<TaskOutcome> outcomes = new();

    public async Task<CallResponse> AnswerAsync(Func<Task<TaskOutcome>> run)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await run().ConfigureAwait(false);
            outcomes.Enqueue(outcome);
            return outcome.ToCallResponse();
        }
        catch (WallarooApiException e)
        {
            return CallResponse.Error(e.Status, e.Message, "WallarooApiError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or HttpRequestException or Resilience.TargetFaultException)
        {
            return CallResponse.NoAnswer(e.Message, "TaskRunError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The outcomes kept since the last call, in the order the runs were answered.</summary>
    public TaskOutcome[] Take() => [.. Interlocked.Exchange(ref outcomes, new ConcurrentQueue<TaskOutcome>())];
}
