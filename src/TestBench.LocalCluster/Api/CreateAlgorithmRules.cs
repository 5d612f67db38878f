using System.Text.Json;
using System.Text.Json.Nodes;
using TestBench.LocalCluster.Builds;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// What <c>POST /v1/algorithms/{owner}</c> requires (api-docs "Create an algorithm", payload table): <c>details.label</c>,
/// <c>settings.license</c>, <c>network_access</c>, <c>pipeline_enabled</c> and <c>source_visibility</c> (open unless the
/// license is <c>apl</c>), and one way to name the environment: <c>language</c> with <c>environment</c> (cpu or gpu),
/// <c>package_set</c>, or <c>algorithm_environment</c> (an environment's id, as the original tool sends it:
/// algorithmia-ratchet src/algorithm_creation.py). Every problem is named with its field.
/// </summary>
internal static class CreateAlgorithmRules
{
    private static readonly string[] Licenses = ["apl", "apache2", "gpl3", "mit"];
    private static readonly string[] NetworkAccess = ["full", "isolated"];
    private static readonly string[] Visibilities = ["open", "closed"];
    private static readonly string[] Hardware = ["cpu", "gpu"];
    private static readonly string[] EnvironmentForms = ["language", "package_set", "algorithm_environment"];

    /// <summary>The documented languages and the environments' language each is served by here (none: not offered).</summary>
    private static readonly Dictionary<string, string?> Languages = new(StringComparer.Ordinal)
    {
        ["python3-1"] = "python3", ["python2-langpack"] = "python2",
        ["java"] = null, ["javascript"] = null, ["r"] = null, ["ruby"] = null, ["rust"] = null, ["scala"] = null,
    };

    /// <summary>The environment the request names, or every problem with it.</summary>
    public static (EnvironmentSpec? Environment, IReadOnlyList<string> Problems) Check(JsonObject body, EnvironmentCatalog environments)
    {
        var problems = new List<string>();
        if (Text(body["details"]?["label"]) is null)
        {
            problems.Add("details.label is required (the algorithm's human-readable name)");
        }

        var settings = body["settings"] as JsonObject;
        if (settings is null)
        {
            problems.Add("settings is required: an object with license, network_access, pipeline_enabled, source_visibility and the environment");
            return (null, problems);
        }

        var license = OneOf(settings, "license", Licenses, problems);
        OneOf(settings, "network_access", NetworkAccess, problems);
        var visibility = OneOf(settings, "source_visibility", Visibilities, problems);
        if (license is not null and not "apl" && visibility == "closed")
        {
            problems.Add($"settings.source_visibility must be open with license '{license}': only apl allows closed source");
        }

        if (settings["pipeline_enabled"] is not { } pipeline || pipeline.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add("settings.pipeline_enabled is required: true or false");
        }

        var environment = Environment(settings, environments, problems);
        return (problems.Count == 0 ? environment : null, problems);
    }

    private static EnvironmentSpec? Environment(JsonObject settings, EnvironmentCatalog environments, List<string> problems)
    {
        var named = EnvironmentForms.Where(settings.ContainsKey).ToArray();
        if (named.Length != 1)
        {
            problems.Add(named.Length == 0
                ? "settings must name the environment: language (with environment), package_set, or algorithm_environment"
                : $"settings names the environment {named.Length} ways ({string.Join(", ", named)}); give one");
            return null;
        }

        switch (named[0])
        {
            case "algorithm_environment":
                return Text(settings["algorithm_environment"]) is { } id && settings["algorithm_environment"]!.GetValueKind() == JsonValueKind.String
                    ? environments.Find(id) ?? Problem(problems, $"settings.algorithm_environment '{id}' is not an environment of this cluster")
                    : Problem(problems, $"settings.algorithm_environment is {settings["algorithm_environment"]?.ToJsonString()}; it must be the id (a string) of an environment of this cluster");
            case "package_set":
                // Package sets are this cluster's environments, named by id.
                return Text(settings["package_set"]) is { } set && environments.Find(set) is { } byId
                    ? byId
                    : Problem(problems, $"settings.package_set {settings["package_set"]?.ToJsonString()} is not a package set of this cluster (its package sets are its environments' ids)");
            default:
                OneOf(settings, "environment", Hardware, problems, requiredWith: "language");
                var language = Text(settings["language"]);
                if (language is null || !Languages.TryGetValue(language, out var servedBy))
                {
                    return Problem(problems, $"settings.language {settings["language"]?.ToJsonString()} is not one of {string.Join(", ", Languages.Keys)}");
                }

                return servedBy is not null && environments.DefaultFor(servedBy) is { } byLanguage
                    ? byLanguage
                    : Problem(problems, $"settings.language '{language}' has no installed environment on this cluster");
        }
    }

    private static string? OneOf(JsonObject settings, string field, string[] allowed, List<string> problems, string? requiredWith = null)
    {
        var value = Text(settings[field]);
        if (value is not null && allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        problems.Add(value is null
            ? $"settings.{field} is required{(requiredWith is null ? "" : $" with {requiredWith}")}: one of {string.Join(", ", allowed)}"
            : $"settings.{field} is '{value}'; use one of {string.Join(", ", allowed)}");
        return null;
    }

    private static EnvironmentSpec? Problem(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
