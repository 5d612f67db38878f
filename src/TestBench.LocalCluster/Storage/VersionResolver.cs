using System.Text.RegularExpressions;

namespace TestBench.LocalCluster.Storage;

/// <summary>
/// Turns the <c>{version}</c> of a call into a build (spec §3.1): a 40-hex git sha (owner only, published or
/// not), <c>latestPrivate</c> (newest published, owner only), <c>x.y.z</c>, <c>x.y.*</c>/<c>x.*</c> (newest
/// public with that prefix), or nothing (newest public).
/// </summary>
internal static partial class VersionResolver
{
    /// <summary>The build to run, or why there is none (the message names the version).</summary>
    public static (BuildRecord? Build, VersionRecord? Version, string? Problem, bool NotBuiltYet) Resolve(AlgorithmRecord algorithm, string? version, bool callerIsOwner)
    {
        if (version is not null && GitSha().IsMatch(version))
        {
            if (!callerIsOwner)
            {
                return (null, null, $"version {version} can only be called by the owner", false);
            }

            var build = algorithm.Builds.LastOrDefault(b => b.CommitSha == version && b.Status == BuildRecord.Succeeded);
            var building = algorithm.Builds.Any(b => b.CommitSha == version && b.Status == BuildRecord.InProgress);
            return build is not null
                ? (build, algorithm.Versions.LastOrDefault(v => v.GitHash == version), null, false)
                : (null, null, building
                    ? $"algorithm version hash {version} is not built yet (its build is in progress)"
                    : $"algorithm version hash {version} is not built: no successful build of that commit", true);
        }

        var candidates = algorithm.Versions.AsEnumerable();
        if (version == "latestPrivate")
        {
            if (!callerIsOwner)
            {
                return (null, null, "latestPrivate can only be called by the owner", false);
            }
        }
        else if (version is null || version.EndsWith(".*", StringComparison.Ordinal))
        {
            var prefix = version is null ? "" : version[..^1];
            candidates = candidates.Where(v => v.Callability == "public" && v.SemanticVersion.StartsWith(prefix, StringComparison.Ordinal));
        }
        else
        {
            candidates = candidates.Where(v => v.SemanticVersion == version && (callerIsOwner || v.Callability == "public"));
        }

        var chosen = candidates.OrderBy(v => Semantic(v.SemanticVersion)).LastOrDefault();
        if (chosen is null)
        {
            return (null, null, $"no published version of {algorithm.Owner}/{algorithm.Name} matches '{version ?? "(latest public)"}'", false);
        }

        var chosenBuild = algorithm.Builds.LastOrDefault(b => b.CommitSha == chosen.GitHash && b.Status == BuildRecord.Succeeded);
        return chosenBuild is null
            ? (null, null, $"version {chosen.SemanticVersion} has no successful build", false)
            : (chosenBuild, chosen, null, false);
    }

    /// <summary>The next semantic version after <paramref name="latest"/> for a bump kind.</summary>
    public static string Next(string? latest, string bump)
    {
        var (major, minor, patch) = latest is null ? (0, 0, 0) : Semantic(latest);
        return bump switch
        {
            "major" => $"{major + 1}.0.0",
            "patch" or "revision" => $"{major}.{minor}.{patch + 1}",
            _ => $"{major}.{minor + 1}.0",
        };
    }

    public static (int Major, int Minor, int Patch) Semantic(string version)
    {
        var parts = version.Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).Concat([0, 0, 0]).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex GitSha();
}
