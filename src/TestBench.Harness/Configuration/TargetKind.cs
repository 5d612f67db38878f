namespace TestBench.Harness.Configuration;

/// <summary>Which destination a case benchmarks; its lower-case name is the <c>Target</c> trait.</summary>
public enum TargetKind
{
    /// <summary>Two embedded local clusters on 127.0.0.1, started by the run.</summary>
    Local,

    /// <summary>A real Algorithmia-compatible cluster named by environment variables.</summary>
    Algorithmia,

    /// <summary>A Racetrack: the embedded one, or the one <c>RACETRACK_LIFECYCLE_URL</c> names.</summary>
    Racetrack,

    /// <summary>A Wallaroo orchestration service: the embedded one, or the one <c>WALLAROO_API_URL</c> names.</summary>
    Wallaroo,
}

/// <summary>Chooses the run's <see cref="TargetKind"/>s from the environment.</summary>
public static class TargetKinds
{
    /// <summary>The variable (and <c>.runsettings</c> parameter <c>Targets</c>) naming the targets.</summary>
    public const string Variable = "TESTBENCH_TARGETS";

    /// <summary>
    /// What <c>auto</c> means: the destinations the environment configures — <see cref="TargetKind.Algorithmia"/> when
    /// <c>DESTINATION_API_ADDRESS</c> or <c>FQDN</c> is set, <see cref="TargetKind.Racetrack"/> when
    /// <c>RACETRACK_LIFECYCLE_URL</c> is, <see cref="TargetKind.Wallaroo"/> when <c>WALLAROO_API_URL</c> is — or, with none
    /// configured, the embedded ones: <see cref="TargetKind.Local"/>, <see cref="TargetKind.Racetrack"/> and
    /// <see cref="TargetKind.Wallaroo"/>.
    /// </summary>
    public static IReadOnlyList<TargetKind> Detect(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        bool Set(string name) => !string.IsNullOrWhiteSpace(getEnvironmentVariable(name));
        List<TargetKind> configured = [];
        if (Set("DESTINATION_API_ADDRESS") || Set("FQDN"))
        {
            configured.Add(TargetKind.Algorithmia);
        }

        if (Set(RacetrackVariables.LifecycleUrl))
        {
            configured.Add(TargetKind.Racetrack);
        }

        if (Set(WallarooVariables.ApiUrl))
        {
            configured.Add(TargetKind.Wallaroo);
        }

        return configured.Count > 0 ? configured : [TargetKind.Local, TargetKind.Racetrack, TargetKind.Wallaroo];
    }

    /// <summary>
    /// The targets the run asks for: <c>TESTBENCH_TARGETS</c> (or <c>TESTBENCH_TARGET</c>), else the <c>.runsettings</c>
    /// parameter <c>Targets</c> (or <c>Target</c>): a comma-separated list of <c>local</c>, <c>algorithmia</c>,
    /// <c>racetrack</c>, <c>wallaroo</c> and <c>auto</c> (the default: <see cref="Detect"/>), in the order given, each once.
    /// </summary>
    /// <exception cref="ArgumentException">A value is none of these; the message names where it came from.</exception>
    public static IReadOnlyList<TargetKind> Choose(Func<string, string?> getEnvironmentVariable, IReadOnlyDictionary<string, string> runSettings)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        ArgumentNullException.ThrowIfNull(runSettings);
        var (chosen, source) = new[]
            {
                (getEnvironmentVariable(Variable), Variable),
                (getEnvironmentVariable("TESTBENCH_TARGET"), "TESTBENCH_TARGET"),
                (runSettings.GetValueOrDefault("Targets"), ".runsettings Targets"),
                (runSettings.GetValueOrDefault("Target"), ".runsettings Target"),
            }
            .FirstOrDefault(candidate => !string.IsNullOrWhiteSpace(candidate.Item1), (null, "default"));
        List<TargetKind> targets = [];
        foreach (var name in (chosen ?? "auto").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            IReadOnlyList<TargetKind> named = name.ToLowerInvariant() switch
            {
                "auto" => Detect(getEnvironmentVariable),
                "local" => [TargetKind.Local],
                "algorithmia" => [TargetKind.Algorithmia],
                "racetrack" => [TargetKind.Racetrack],
                "wallaroo" => [TargetKind.Wallaroo],
                _ => throw new ArgumentException($"{source} names '{name}'; use a comma-separated list of auto (the configured destinations, else the embedded local, racetrack and wallaroo ones), local, algorithmia, racetrack and wallaroo"),
            };
            targets.AddRange(named.Where(kind => !targets.Contains(kind)));
        }

        return targets.Count > 0 ? targets : Detect(getEnvironmentVariable);
    }

    /// <summary>The trait value: <c>local</c>, <c>algorithmia</c>, <c>racetrack</c> or <c>wallaroo</c>.</summary>
    public static string TraitValue(this TargetKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>The environment variables that name a real Racetrack.</summary>
public static class RacetrackVariables
{
    /// <summary>Lifecycle's address, e.g. <c>https://racetrack.example.com/lifecycle</c>.</summary>
    public const string LifecycleUrl = "RACETRACK_LIFECYCLE_URL";

    /// <summary>The token sent as <c>X-Racetrack-Auth</c>. A secret.</summary>
    public const string AuthToken = "RACETRACK_AUTH_TOKEN";

    /// <summary>Pub's address, e.g. <c>https://racetrack.example.com/pub</c>; default: the <c>external_pub_url</c> Lifecycle's
    /// <c>/api/v1/info</c> gives.</summary>
    public const string PubUrl = "RACETRACK_PUB_URL";
}

/// <summary>The environment variables that name a real Wallaroo.</summary>
public static class WallarooVariables
{
    /// <summary>The API's address (<c>{APIURL}</c>; routes are under <c>v1/api/</c>), e.g. <c>https://example.api.wallaroo.ai</c>.</summary>
    public const string ApiUrl = "WALLAROO_API_URL";

    /// <summary>The bearer token (what the SDK's <c>wl.auth.auth_header()</c> sends). A secret.</summary>
    public const string Token = "WALLAROO_TOKEN";

    /// <summary>The workspace orchestrations are uploaded to and tasks run in (a whole number).</summary>
    public const string WorkspaceId = "WALLAROO_WORKSPACE_ID";
}
