namespace TestBench.Harness.Resilience;

/// <summary>What one look at something awaited found: the value it waits for, or how things stand so far.</summary>
public readonly record struct PollResult<T>
{
    internal PollResult(bool isDone, T? value, string status)
    {
        IsDone = isDone;
        Value = value;
        Status = status;
    }

    public bool IsDone { get; }

    /// <summary>The awaited value, when <see cref="IsDone"/>.</summary>
    public T? Value { get; }

    /// <summary>How things stood at this look, in words for the log and for a timeout's message.</summary>
    public string Status { get; }
}

/// <summary>Makes <see cref="PollResult{T}"/>s.</summary>
public static class PollResult
{
    public static PollResult<T> Done<T>(T value, string status = "done") => new(true, value, status);

    public static PollResult<T> Pending<T>(string status) => new(false, default, status);
}
