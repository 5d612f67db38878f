namespace TestBench.Harness.Resilience;

/// <summary>How hard <see cref="PlatformHttp"/> tries before it gives up on a request.</summary>
public sealed record RetryLimits
{
    /// <summary>The defaults: 4 retries, 1 of them after a timeout, 100 s per attempt, back-off from 300 ms.</summary>
    public static RetryLimits Default { get; } = new();

    /// <summary>Retries after a refused or dropped connection, a 5xx or a 429. <value>4.</value></summary>
    public int Retries { get; init; } = 4;

    /// <summary>Of those, retries after an attempt that timed out: a server that hangs twice is stuck, and each wait is
    /// long. <value>1.</value></summary>
    public int TimeoutRetries { get; init; } = 1;

    /// <summary>The most one attempt may take, the answer's body included. <value>100 s.</value></summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The first back-off; it doubles (jittered) each retry. <value>300 ms.</value></summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one gets the usual back-off. <value>30 s.</value></summary>
    public TimeSpan LongestRetryAfter { get; init; } = TimeSpan.FromSeconds(30);
}
