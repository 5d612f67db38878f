using System.Text.Json;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// A deploy request's <c>secret_vars</c>: <c>build_env</c> for the build and <c>runtime_env</c> for the job's processes
/// (Racetrack's <c>SecretVars</c>, racetrack_client/client/env.py; Lifecycle hands them on in
/// lifecycle/deployer/deploy.py). Never written to the job's folder, manifest, logs or listings.
/// </summary>
public sealed record JobSecrets(IReadOnlyDictionary<string, string> BuildEnvironment, IReadOnlyDictionary<string, string> RuntimeEnvironment)
{
    private static readonly string[] Fields = ["build_env", "runtime_env"];

    public static JobSecrets None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>
    /// Reads <c>secret_vars</c> (absent or null: none). Racetrack's model ignores a field it does not know, so a job sent
    /// with a misspelt key would silently run without its secrets; here such a key is refused, naming it.
    /// </summary>
    /// <exception cref="FormatException">The field, and what is wrong with it.</exception>
    public static JobSecrets Parse(JsonElement body)
    {
        if (!body.TryGetProperty("secret_vars", out var vars) || vars.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        if (vars.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("secret_vars must be an object with build_env and runtime_env");
        }

        if (vars.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !Fields.Contains(n, StringComparer.Ordinal)) is { } unknown)
        {
            throw new FormatException($"secret_vars.{unknown} is not read by Racetrack: secret variables go in secret_vars.build_env and secret_vars.runtime_env");
        }

        return new JobSecrets(Variables(vars, "build_env"), Variables(vars, "runtime_env"));
    }

    /// <summary>What a build step sees: the manifest's <c>build_env</c>, secrets over it (provision.py's <c>merge_env_vars</c>).</summary>
    public IReadOnlyDictionary<string, string> BuildVariables(JobManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Merge(manifest.BuildEnvironment, BuildEnvironment);
    }

    /// <summary>
    /// What the job's processes see, as provision.py sets it: the manifest's <c>runtime_env</c>, the secret runtime
    /// variables over it, and every build variable that is not a runtime variable cleared to an empty string, so a
    /// build secret never reaches the running job.
    /// </summary>
    public IReadOnlyDictionary<string, string> RuntimeVariables(JobManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var runtime = Merge(manifest.RuntimeEnvironment, RuntimeEnvironment);
        foreach (var name in BuildVariables(manifest).Keys.Where(n => !runtime.ContainsKey(n)))
        {
            runtime[name] = "";
        }

        return runtime;
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> over)
    {
        var merged = new Dictionary<string, string>(first, StringComparer.Ordinal);
        foreach (var (name, value) in over)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static Dictionary<string, string> Variables(JsonElement vars, string field)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!vars.TryGetProperty(field, out var values))
        {
            return variables;
        }

        if (values.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"secret_vars.{field} must map names to strings");
        }

        foreach (var variable in values.EnumerateObject())
        {
            variables[variable.Name] = variable.Value.ValueKind == JsonValueKind.String
                ? variable.Value.GetString()!
                : throw new FormatException($"secret_vars.{field}.{variable.Name} must be a string");
        }

        return variables;
    }
}
