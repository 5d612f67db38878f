namespace TestBench.LocalCluster.Runtime;

/// <summary>Limits of the runtime's worker pools; validated by <see cref="WorkerPool"/>.</summary>
public sealed record RuntimeOptions
{
    /// <summary>Warm worker processes per algorithm version, i.e. calls served at once.
    /// <value>Default 2 (the machine's cores); 1..64.</value></summary>
    public int MaxConcurrency { get; init; } = 2;

    /// <summary>Calls that may wait for a worker; one more is rejected (HTTP 429).
    /// <value>Default 64; 0..100000.</value></summary>
    public int MaxQueueLength { get; init; } = 64;

    /// <summary>How long a worker may sit unused before it is stopped. <value>Default 5 minutes.</value></summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long importing the algorithm and its <c>load()</c> may take. <value>Default 2 minutes.</value></summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A test hook: extra time every call spends holding its worker, as if the algorithm were that much slower.
    /// It makes the ratchet's failure visible on demand. <value>Default zero; 0..60 seconds.</value>
    /// </summary>
    public TimeSpan CallDelay { get; init; }

    /// <summary>
    /// A test hook: every call from outside the cluster takes this factor as long (1.2: 20 % longer), so the verdicts'
    /// power to detect a small slowdown can be measured. <value>Default 1 (none); 1..10.</value>
    /// </summary>
    public double Slowdown { get; init; } = 1;

    /// <summary>Throws one exception listing every out-of-range value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxConcurrency is < 1 or > 64)
        {
            problems.Add($"{nameof(MaxConcurrency)} is {MaxConcurrency}; allowed 1..64");
        }

        if (MaxQueueLength is < 0 or > 100_000)
        {
            problems.Add($"{nameof(MaxQueueLength)} is {MaxQueueLength}; allowed 0..100000");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(IdleTimeout)} is {IdleTimeout}; it must be positive");
        }

        if (LoadTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(LoadTimeout)} is {LoadTimeout}; it must be positive");
        }

        if (CallDelay < TimeSpan.Zero || CallDelay > TimeSpan.FromSeconds(60))
        {
            problems.Add($"{nameof(CallDelay)} is {CallDelay}; allowed 0..60 seconds");
        }

        if (!(Slowdown is >= 1 and <= 10))
        {
            problems.Add($"{nameof(Slowdown)} is {Slowdown}; allowed 1..10");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"{nameof(RuntimeOptions)} are invalid: {string.Join("; ", problems)}.");
        }
    }
}
