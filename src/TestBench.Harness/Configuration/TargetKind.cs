namespace TestBench.Harness.Configuration;

/// <summary>Which destination a run benchmarks; its lower-case name is the <c>Target</c> trait.</summary>
public enum TargetKind
{
    /// <summary>Two embedded local clusters on 127.0.0.1, started by the run (the default).</summary>
    Local,

    /// <summary>A real Algorithmia-compatible cluster named by environment variables.</summary>
    Algorithmia,
}

/// <summary>Chooses the <see cref="TargetKind"/> from the environment.</summary>
public static class TargetKinds
{
    /// <summary>
    /// <see cref="TargetKind.Algorithmia"/> when <c>DESTINATION_API_ADDRESS</c> or <c>FQDN</c> names a
    /// destination (the original tool's variables), otherwise <see cref="TargetKind.Local"/>.
    /// </summary>
    public static TargetKind Detect(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return string.IsNullOrWhiteSpace(getEnvironmentVariable("DESTINATION_API_ADDRESS"))
            && string.IsNullOrWhiteSpace(getEnvironmentVariable("FQDN"))
            ? TargetKind.Local
            : TargetKind.Algorithmia;
    }

    /// <summary>
    /// The target the run asks for: <c>TESTBENCH_TARGET</c>, else the <c>.runsettings</c> parameter <c>Target</c>:
    /// <c>local</c>, <c>algorithmia</c>, or <c>auto</c> (the default: <see cref="Detect"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is none of these; the message names where it came from.</exception>
    public static TargetKind Choose(Func<string, string?> getEnvironmentVariable, IReadOnlyDictionary<string, string> runSettings)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        ArgumentNullException.ThrowIfNull(runSettings);
        var fromEnvironment = getEnvironmentVariable("TESTBENCH_TARGET");
        var chosen = string.IsNullOrWhiteSpace(fromEnvironment) ? runSettings.GetValueOrDefault("Target") : fromEnvironment;
        return chosen?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => Detect(getEnvironmentVariable),
            "local" => TargetKind.Local,
            "algorithmia" => TargetKind.Algorithmia,
            _ => throw new ArgumentException($"TESTBENCH_TARGET / .runsettings Target is '{chosen}'; use auto (embedded clusters unless DESTINATION_API_ADDRESS or FQDN is set), local or algorithmia"),
        };
    }

    /// <summary>The trait value: <c>local</c> or <c>algorithmia</c>.</summary>
    public static string TraitValue(this TargetKind kind) => kind.ToString().ToLowerInvariant();
}
