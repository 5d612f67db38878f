using System.Diagnostics;
using System.Text.Json.Nodes;
using TestBench.Harness.Export;
using TestBench.Harness.Running;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// The benchmark's calls on an Algorithmia-style cluster: the exported algorithm at its built commit. Async calls are
/// <c>output=void</c> calls whose results the cluster posts to <paramref name="completions"/> (the LangServer's async
/// mode); only an embedded cluster can be told where to post them.
/// </summary>
public sealed class AlgorithmiaBenchmarkCalls(CallsApi calls, CompletionReceiver? completions = null) : IBenchmarkCalls
{
    public string? AsyncCallsUnsupported => completions is null
        ? "A real Algorithmia cluster answers output=void calls with no way to receive their results; async tests run on the embedded cluster, which posts them to the harness"
        : null;

    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var prepared = calls.Prepare(entrypoint.Owner, entrypoint.ExportedName, entrypoint.Version, payload, timeoutSeconds);
        return token => calls.CallAsync(prepared, token);
    }

    public Func<CancellationToken, Task<CallResponse>> PrepareAsynchronous(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var receiver = completions ?? throw new NotSupportedException(AsyncCallsUnsupported);
        var prepared = calls.Prepare(entrypoint.Owner, entrypoint.ExportedName, entrypoint.Version, payload, timeoutSeconds, output: "void");
        return token => CallAsynchronouslyAsync(receiver, prepared, token);
    }

    /// <summary>Submits the call and waits for its result to be posted back; the latency runs from the submission to
    /// the result's arrival. A refused submission is the call's answer.</summary>
    private async Task<CallResponse> CallAsynchronouslyAsync(CompletionReceiver receiver, PreparedCall prepared, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(prepared.ClientDeadline);
        var started = Stopwatch.GetTimestamp();
        var result = receiver.Expect(id, deadline.Token);
        var submitted = await calls.CallAsync(prepared, cancellationToken, id).ConfigureAwait(false);
        if (!submitted.Succeeded)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            await result.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            return submitted;
        }

        try
        {
            var (body, arrivedAt) = await result.ConfigureAwait(false);
            return new CallResponse(200, body, Stopwatch.GetElapsedTime(started, arrivedAt).TotalSeconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResponse.NoAnswer($"the cluster accepted the async call but posted no result within the client deadline of {prepared.ClientDeadline.TotalSeconds:0} s",
                "TimeoutError", Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
