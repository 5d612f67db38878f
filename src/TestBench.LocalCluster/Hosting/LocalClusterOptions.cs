using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Hosting;

/// <summary>Settings of an embedded cluster; checked by <see cref="LocalCluster.StartAsync"/>.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Where all state lives (data, repositories, builds, algorithms); a restart on the same folder keeps it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Users and their API keys. A user without a key gets the one saved in the data folder, or a new random one.</summary>
    public required IReadOnlyDictionary<string, string?> Users { get; init; }

    /// <summary>The admin key for the environment web API; <value>saved or random when null</value>.</summary>
    public string? AdminKey { get; init; }

    /// <summary>The port on 127.0.0.1; <value>0 (default) picks a free one</value>.</summary>
    public int Port { get; init; }

    /// <summary>The interpreter environments marked <c>default</c> use.</summary>
    public required string Python { get; init; }

    /// <summary><c>environments.json</c>; <value>defaults to the one shipped next to the assembly</value>.</summary>
    public string? EnvironmentsFile { get; init; }

    /// <summary>
    /// The user's own environments, added to <see cref="EnvironmentsFile"/> (an entry with the id or display name of a
    /// shipped one replaces it); same format. <value>None by default.</value>
    /// </summary>
    public string? MoreEnvironmentsFile { get; init; }

    /// <summary>Whether a failing <c>src/&lt;Name&gt;_test.py</c> fails the build. <value>False: a warning in the build log, as on the platform.</value></summary>
    public bool FailOnAlgorithmTests { get; init; }

    public RuntimeOptions Runtime { get; init; } = new();

    /// <summary>The lowest level logged. Per-request lines are <see cref="LogLevel.Debug"/>: at the default they cost nothing.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Another place the cluster's log goes, besides the console (tests read it).</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>
    /// Where the results of <c>output=void</c> calls are posted (the LangServer's <c>REQUEST_COMPLETE</c>, its async
    /// mode); an http address on 127.0.0.0/8. <see langword="null"/>: void calls' results are dropped, as the platform does.
    /// </summary>
    public Uri? RequestComplete { get; init; }

    /// <summary>Throws one exception naming every invalid value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add($"{nameof(DataDirectory)} is empty");
        }

        if (Users is null || Users.Count == 0)
        {
            problems.Add($"{nameof(Users)} names no user");
        }
        else
        {
            problems.AddRange(Users.Keys.Where(u => !TestBench.Harness.Workflows.AlgorithmName.IsValid(u)).Select(u => $"user name '{u}' {TestBench.Harness.Workflows.AlgorithmName.Rule}"));
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"{nameof(Port)} is {Port}; allowed 0..65535");
        }

        if (RequestComplete is not null)
        {
            try
            {
                Api.CompletionNotifier.Check(RequestComplete);
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"{nameof(LocalClusterOptions)} are invalid: {string.Join("; ", problems)}.");
        }

        Runtime.Validate();
    }
}
