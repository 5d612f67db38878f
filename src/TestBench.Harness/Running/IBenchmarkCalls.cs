using System.Text.Json.Nodes;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Export;

namespace TestBench.Harness.Running;

/// <summary>
/// The benchmark's call path to one destination: a test's call is rendered once, then made as often as the load runner
/// asks, without retries (a benchmark measures what happened). Answers come as <see cref="CallResponse"/>s whatever
/// the destination's own shape.
/// </summary>
public interface IBenchmarkCalls
{
    /// <summary>Renders a call of <paramref name="entrypoint"/> with <paramref name="payload"/>, the server given <paramref name="timeoutSeconds"/>.</summary>
    Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds);

    /// <summary>Why this destination cannot make a test's calls asynchronously (<see cref="Workflows.WorkflowTest.Async"/>);
    /// <see langword="null"/> when it can. An async test on such a destination is skipped with this reason.</summary>
    string? AsyncCallsUnsupported => "This destination has no asynchronous calls";

    /// <summary>Renders an asynchronous call: submitted, then its result awaited; its <see cref="CallResponse.WallSeconds"/>
    /// run from the submission to the result's arrival.</summary>
    /// <exception cref="NotSupportedException">The destination has none (<see cref="AsyncCallsUnsupported"/>).</exception>
    Func<CancellationToken, Task<CallResponse>> PrepareAsynchronous(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds) =>
        throw new NotSupportedException(AsyncCallsUnsupported);

    /// <summary>Whether every call starts a unit of work as costly as a process (a Wallaroo task run): a load-shaped test
    /// then runs one trial unless its <c>trials</c> say otherwise, as an open-model test does.</summary>
    bool CallsAreTaskRuns => false;

    /// <summary>What the destination's own clocks said about the calls made since this was last asked (e.g. a Wallaroo
    /// task's start latency and log lag), for the case output; <see langword="null"/> when it says nothing more.</summary>
    string? TakeTimingSummary() => null;
}
