using System.Text.Json;
using System.Text.RegularExpressions;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// A Racetrack job's <c>job.yaml</c>, as <c>POST /api/v1/deploy</c> sends it (a JSON object), checked as Racetrack's
/// schema does: unknown top-level fields are refused, and every problem names its field.
/// </summary>
public sealed partial record JobManifest
{
    private static readonly string[] KnownFields =
    [
        "name", "owner_email", "jobtype", "git", "version", "jobtype_extra", "build_env", "runtime_env", "secret_build_env_file",
        "secret_runtime_env_file", "public_endpoints", "replicas", "resources", "system_dependencies", "labels", "extends",
        "image_type", "infrastructure_target",
        // Deprecated spellings Racetrack's Manifest model still accepts (racetrack_client/manifest/manifest.py).
        "lang", "golang", "python", "docker", "wrapper_properties",
    ];

    /// <summary>Fields Racetrack acts on that this embedded one does not: a deploy naming one warns, naming it.</summary>
    private static readonly string[] NotEmulatedFields =
        ["replicas", "resources", "system_dependencies", "infrastructure_target", "image_type", "public_endpoints", "labels"];

    public required string Name { get; init; }

    /// <summary>Semantic version; <value>0.0.1 when the manifest names none</value>.</summary>
    public required string Version { get; init; }

    public required string OwnerEmail { get; init; }

    /// <summary>The job type, e.g. <c>python3:latest</c>; only python3 is run here.</summary>
    public required string JobType { get; init; }

    /// <summary><c>jobtype_extra.entrypoint_path</c>: the Python file, relative to the job folder.</summary>
    public required string EntrypointPath { get; init; }

    /// <summary><c>jobtype_extra.entrypoint_class</c>; <see langword="null"/>: the one class the module defines.</summary>
    public string? EntrypointClass { get; init; }

    /// <summary><c>jobtype_extra.requirements_path</c>, relative to the job folder.</summary>
    public string? RequirementsPath { get; init; }

    /// <summary><c>jobtype_extra.max_concurrency</c>; <see langword="null"/> or 0: unlimited.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary><c>jobtype_extra.max_concurrency_queue</c>: calls that may wait beyond <see cref="MaxConcurrency"/>.</summary>
    public int? MaxConcurrencyQueue { get; init; }

    /// <summary><c>runtime_env</c>: variables the job sees.</summary>
    public IReadOnlyDictionary<string, string> RuntimeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest as it was sent: what Lifecycle shows as the job's manifest.</summary>
    public required JsonElement Document { get; init; }

    /// <summary>The fields this manifest sets that Racetrack would act on and this embedded Racetrack does not.</summary>
    public IReadOnlyList<string> NotEmulated => [.. NotEmulatedFields.Where(f => Document.TryGetProperty(f, out var value) && !IsWhatIsEmulated(f, value))];

    /// <summary><c>build_env</c>: variables the build sees.</summary>
    public IReadOnlyDictionary<string, string> BuildEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads a manifest; throws <see cref="FormatException"/> listing every problem with its field.</summary>
    public static JobManifest Parse(JsonElement manifest)
    {
        if (manifest.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("manifest must be a JSON object (job.yaml's fields)");
        }

        var problems = new List<string>();
        problems.AddRange(manifest.EnumerateObject().Select(p => p.Name).Where(n => !KnownFields.Contains(n)).Select(n => $"manifest.{n} is not a job.yaml field"));
        var name = Text(manifest, "name", problems, required: true);
        if (name is not null && !JobName().IsMatch(name))
        {
            problems.Add($"manifest.name '{name}' must be lower-case letters, digits and dashes (no underscores), starting with a letter");
        }

        var owner = Text(manifest, "owner_email", problems, required: true);
        if (owner is not null && !owner.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"manifest.owner_email '{owner}' is not an e-mail address");
        }

        var jobType = Text(manifest, "jobtype", problems, required: true);
        if (jobType is not null && !jobType.StartsWith("python3:", StringComparison.Ordinal))
        {
            problems.Add($"manifest.jobtype '{jobType}' is not supported here; this embedded Racetrack runs python3:<version> jobs");
        }

        var version = Text(manifest, "version", problems, required: false) ?? "0.0.1";
        if (!SemanticVersion().IsMatch(version))
        {
            problems.Add($"manifest.version '{version}' is not a semantic version such as 1.2.3");
        }

        string? entrypoint = null, entrypointClass = null, requirements = null;
        int? concurrency = null, queue = null;
        if (!manifest.TryGetProperty("jobtype_extra", out var extra) || extra.ValueKind != JsonValueKind.Object)
        {
            problems.Add("manifest.jobtype_extra is required for python3 jobs (an object with entrypoint_path)");
        }
        else
        {
            entrypoint = Text(extra, "entrypoint_path", problems, required: true, prefix: "manifest.jobtype_extra.");
            entrypointClass = Text(extra, "entrypoint_class", problems, required: false, prefix: "manifest.jobtype_extra.");
            requirements = Text(extra, "requirements_path", problems, required: false, prefix: "manifest.jobtype_extra.");
            concurrency = Count(extra, "max_concurrency", problems);
            queue = Count(extra, "max_concurrency_queue", problems);
            foreach (var path in new[] { entrypoint, requirements }.OfType<string>().Where(p => Path.IsPathRooted(p) || p.Split('/').Contains("..")))
            {
                problems.Add($"manifest.jobtype_extra path '{path}' must stay inside the job folder");
            }
        }

        var runtimeEnvironment = Variables(manifest, "runtime_env", problems);
        var buildEnvironment = Variables(manifest, "build_env", problems);

        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems));
        }

        return new JobManifest
        {
            Name = name!,
            Version = version,
            OwnerEmail = owner!,
            JobType = jobType!,
            EntrypointPath = entrypoint!,
            EntrypointClass = entrypointClass,
            RequirementsPath = requirements,
            MaxConcurrency = concurrency,
            MaxConcurrencyQueue = queue,
            RuntimeEnvironment = runtimeEnvironment,
            BuildEnvironment = buildEnvironment,
            Document = manifest.Clone(),
        };
    }

    private static string? Text(JsonElement owner, string field, List<string> problems, bool required, string prefix = "manifest.")
    {
        if (!owner.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{prefix}{field} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            problems.Add($"{prefix}{field} must be a non-empty string");
            return null;
        }

        return value.GetString();
    }

    /// <summary>Null, one replica and a docker image are what this Racetrack does anyway: no warning for them.</summary>
    private static bool IsWhatIsEmulated(string field, JsonElement value) => value.ValueKind == JsonValueKind.Null || field switch
    {
        "replicas" => value.ValueKind == JsonValueKind.Number && value.GetRawText() == "1",
        "image_type" => value.ValueKind == JsonValueKind.String && value.GetString() == "docker",
        _ => false,
    };

    private static Dictionary<string, string> Variables(JsonElement manifest, string field, List<string> problems)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!manifest.TryGetProperty(field, out var env) || env.ValueKind == JsonValueKind.Null)
        {
            return variables;
        }

        if (env.ValueKind != JsonValueKind.Object || env.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            problems.Add($"manifest.{field} must map names to strings");
            return variables;
        }

        foreach (var variable in env.EnumerateObject())
        {
            variables[variable.Name] = variable.Value.GetString()!;
        }

        return variables;
    }

    /// <summary>A whole number given as a number or digits, as the job type accepts.</summary>
    private static int? Count(JsonElement extra, string field, List<string> problems)
    {
        if (!extra.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            return count;
        }

        problems.Add($"manifest.jobtype_extra.{field} must be a whole number (digits), not {value.GetRawText()}");
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex JobName();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();
}
