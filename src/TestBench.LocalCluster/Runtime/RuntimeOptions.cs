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
    /// How much of what a call prints is kept (stdout and stderr together, UTF-8 bytes); the rest is counted in a
    /// closing <c>[… N bytes truncated]</c> line, so the server's memory is bounded whatever an algorithm prints.
    /// <value>Default 1 MiB; 1 KiB..256 MiB.</value>
    /// </summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The largest answer a call may return (its JSON line, which is ASCII: the runner escapes the rest); a bigger one
    /// is read and dropped, so the server's memory is bounded, and the call answers an error naming the size and the
    /// limit. <value>Default 10 MiB, as the platform's request cap; 1 KiB..1 GiB.</value>
    /// </summary>
    public int MaxResultBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>
    /// The address space a worker may use (RLIMIT_AS, through <c>prlimit</c>): an algorithm that allocates beyond it
    /// gets an error saying so, and the next call a fresh worker. <value>Default 2 GiB; 256 MiB..64 GiB, or
    /// <see langword="null"/> for none.</value>
    /// </summary>
    public long? MaxMemoryBytes { get; init; } = 2L * 1024 * 1024 * 1024;

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

    /// <summary>
    /// A test hook: the cluster freezes for <see cref="StallSchedule.For"/> out of every <see cref="StallSchedule.Every"/>
    /// (as a stop-the-world pause would): a call from outside arriving in a frozen window waits for its end. It lets the
    /// open model's coordinated-omission correction be shown. <value>Default <see langword="null"/>: never.</value>
    /// </summary>
    public StallSchedule? Stall { get; init; }

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

        if (MaxOutputBytes is < 1024 or > 256 * 1024 * 1024)
        {
            problems.Add($"{nameof(MaxOutputBytes)} is {MaxOutputBytes}; allowed 1024..268435456");
        }

        if (MaxResultBytes is < 1024 or > 1024 * 1024 * 1024)
        {
            problems.Add($"{nameof(MaxResultBytes)} is {MaxResultBytes}; allowed 1024..1073741824");
        }

        if (MaxMemoryBytes is < 256L * 1024 * 1024 or > 64L * 1024 * 1024 * 1024)
        {
            problems.Add($"{nameof(MaxMemoryBytes)} is {MaxMemoryBytes}; allowed 268435456..68719476736, or none");
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

        if (Stall is { } stall && (stall.For <= TimeSpan.Zero || stall.For >= stall.Every || stall.Every > TimeSpan.FromMinutes(10)))
        {
            problems.Add($"{nameof(Stall)} is {stall.For.TotalMilliseconds} ms every {stall.Every.TotalMilliseconds} ms; the stall must be positive and shorter than its period of at most 10 minutes");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"{nameof(RuntimeOptions)} are invalid: {string.Join("; ", problems)}.");
        }
    }
}

/// <summary>A freeze of <paramref name="For"/> at the start of every <paramref name="Every"/>, counted from the cluster's start.</summary>
public sealed record StallSchedule(TimeSpan Every, TimeSpan For)
{
    /// <summary>Parses <c>EVERY_MS:FOR_MS</c>, e.g. <c>5000:1000</c>.</summary>
    public static StallSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var every)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pause) && pause > 0 && pause < every && every <= 600_000
            ? new StallSchedule(TimeSpan.FromMilliseconds(every), TimeSpan.FromMilliseconds(pause))
            : throw new ArgumentException($"option --stall is '{text}'; use EVERY_MS:FOR_MS with 0 < FOR_MS < EVERY_MS <= 600000, e.g. 5000:1000");
    }
}
