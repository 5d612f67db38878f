using System.Text.Json.Nodes;
using TestBench.Harness.Export;
using TestBench.Harness.Running;

namespace TestBench.Harness.Algorithmia;

/// <summary>The benchmark's calls on an Algorithmia-style cluster: the exported algorithm at its built commit.</summary>
public sealed class AlgorithmiaBenchmarkCalls(CallsApi calls) : IBenchmarkCalls
{
    public Func<CancellationToken, Task<CallResponse>> Prepare(ExportedAlgorithm entrypoint, JsonNode? payload, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        var prepared = calls.Prepare(entrypoint.Owner, entrypoint.ExportedName, entrypoint.Version, payload, timeoutSeconds);
        return token => calls.CallAsync(prepared, token);
    }
}
