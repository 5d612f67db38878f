namespace TestBench.LocalCluster.Runtime;

/// <summary>A call was refused because every worker is busy and the queue is full (HTTP 429).</summary>
public sealed class QueueFullException(string label, int maxConcurrency, int maxQueueLength)
    : Exception($"Algorithm {label} is busy: {maxConcurrency} calls running and {maxQueueLength} waiting; try again later.")
{
    public string Label { get; } = label;
}
