namespace TestBench.Harness.Processes;

/// <summary>A program to run: arguments (never parsed by a shell), folder, environment and time limit.</summary>
public sealed record CommandSpec
{
    public required string Program { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set for the program.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Start from an empty environment (plus <see cref="Environment"/>) instead of inheriting this
    /// process's, so that none of its secrets reach the program.</summary>
    public bool IsolateEnvironment { get; init; }

    /// <summary>How long the program may run before it is killed. <value>Default 10 minutes.</value></summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How much of each stream <see cref="ExternalCommand.RunAsync"/> keeps: the last this many characters. <value>Default 16 Mi.</value></summary>
    public int MaxOutputChars { get; init; } = 16 * 1024 * 1024;

    /// <summary>The command line for logs (arguments are shown as given; callers keep secrets out of them).</summary>

    public override string ToString() => string.Join(' ', [Program, .. Arguments]);
}
