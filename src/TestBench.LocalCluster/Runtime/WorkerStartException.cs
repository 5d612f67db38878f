namespace TestBench.LocalCluster.Runtime;

/// <summary>A runner could not be started or did not finish loading its algorithm.</summary>
public sealed class WorkerStartException(string label, string reason, string output)
    : Exception($"Starting a worker for {label} failed: {reason}." + (output.Length > 0 ? $" Output:{Environment.NewLine}{output}" : ""))
{
    public string Label { get; } = label;

    /// <summary>What the runner printed before it failed.</summary>
    public string Output { get; } = output;
}
