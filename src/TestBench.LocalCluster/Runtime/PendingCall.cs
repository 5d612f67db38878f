namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The call in flight. It completes when its answer (FIFO) and, if the call printed, the end of its output
/// (stdout marker) have both arrived, in either order; or with a <see langword="null"/> answer when the
/// runner exits first. Continuations run on the thread pool, never on the FIFO or stdout reader that
/// completes the call: code after a call may dispose this worker, which waits for those readers.
/// </summary>
internal sealed class PendingCall
{
    private readonly Lock sync = new();
    private string? answer;
    private string? output;

    public TaskCompletionSource<(string? Answer, string Output)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="line">The answer line.</param>
    /// <param name="printed">The call's output, or <see langword="null"/> when the marker is still to come.</param>
    public void SetAnswer(string line, string? printed)
    {
        lock (sync)
        {
            answer = line;
            output ??= printed;
        }

        TryComplete();
    }

    public void SetOutput(string printed)
    {
        lock (sync)
        {
            output = printed;
        }

        TryComplete();
    }

    public void SetCrashed() => Completion.TrySetResult((null, ""));

    private void TryComplete()
    {
        (string, string)? both;
        lock (sync)
        {
            both = answer is not null && output is not null ? (answer, output) : null;
        }

        if (both is { } value)
        {
            Completion.TrySetResult(value);
        }
    }
}
