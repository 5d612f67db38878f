using System.Globalization;
using System.Text.Json.Nodes;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// The platform's JSON shapes for algorithms, versions and builds (spec §2.3, §2.6). Unknown values are left
/// out rather than sent as null, because generated clients reject nulls in required fields.
/// </summary>
internal static class AlgorithmObjects
{
    public static JsonObject Algorithm(AlgorithmRecord algorithm, Uri baseAddress, BuildRecord? build = null, VersionRecord? version = null)
    {
        build ??= algorithm.LatestSuccessfulBuild;
        var finished = algorithm.LatestFinishedBuild;
        var settings = (JsonObject)algorithm.Settings.DeepClone();
        settings["algorithm_callability"] ??= version?.Callability ?? "private";
        settings["algorithm_environment"] = algorithm.EnvironmentId;
        var result = new JsonObject
        {
            ["id"] = algorithm.Id,
            ["name"] = algorithm.Name,
            ["resource_type"] = "algorithm",
            ["details"] = algorithm.Details.DeepClone(),
            ["settings"] = settings,
            // The internal SCM's source names no repository (api-docs, "The algorithm object": the repository_* fields
            // are for external hosts only); clients derive git from the API address.
            ["source"] = new JsonObject { ["scm"] = InternalScm() },
        };
        if (finished is not null)
        {
            result["compilation"] = new JsonObject { ["successful"] = finished.Status == BuildRecord.Succeeded, ["output"] = finished.Log };
        }

        if (build is not null)
        {
            var versionInfo = new JsonObject { ["git_hash"] = build.CommitSha };
            var published = version ?? algorithm.Versions.LastOrDefault(v => v.PublishedFrom(build));
            if (published is not null)
            {
                versionInfo["semantic_version"] = published.SemanticVersion;
                AddIfPresent(versionInfo, "release_notes", published.ReleaseNotes);
                AddIfPresent(versionInfo, "sample_input", published.SampleInput);
            }

            result["version_info"] = versionInfo;
            result["build"] = Build(build, published);
            result["self_link"] = new Uri(baseAddress, $"v1/algorithms/{algorithm.Owner}/{algorithm.Name}/versions/{build.CommitSha}").ToString();
        }

        return result;
    }

    /// <summary>The internal SCM, the one this cluster has (api-docs "The SCM object"; an algorithm's <c>source.scm</c>).</summary>
    public static JsonObject InternalScm() => new() { ["id"] = "internal", ["provider"] = "internal", ["default"] = true, ["enabled"] = true };

    public static JsonObject Build(BuildRecord build, VersionRecord? published = null)
    {
        var result = new JsonObject
        {
            ["build_id"] = build.BuildId,
            ["commit_sha"] = build.CommitSha,
            ["status"] = build.Status,
            ["started_at"] = Timestamp(build.StartedAt),
            ["resource_type"] = "algorithm_build",
        };
        if (build.FinishedAt is { } finished)
        {
            result["finished_at"] = Timestamp(finished);
        }

        if (published is not null)
        {
            result["version_info"] = new JsonObject { ["semantic_version"] = published.SemanticVersion };
        }

        return result;
    }

    /// <summary>A page in the management API's shape: <c>{marker, next_link, results}</c>.</summary>
    public static JsonObject Page(IEnumerable<JsonNode> items, int offset, int limit, Uri requestUri)
    {
        var all = items.ToArray();
        var page = all.Skip(offset).Take(limit).ToArray();
        var more = offset + page.Length < all.Length;
        var marker = more ? (offset + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return new JsonObject
        {
            ["marker"] = marker,
            ["next_link"] = marker is null ? null : $"{requestUri.GetLeftPart(UriPartial.Path)}?marker={marker}&limit={limit}",
            ["results"] = new JsonArray(page),
        };
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void AddIfPresent(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
