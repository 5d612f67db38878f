using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// The algorithm management API under <c>/v1/algorithms</c>: create, get, update, delete, compile, versions
/// (list, get, publish) and builds (list, get, logs). Two route groups: <c>/v1/algorithms/{owner}</c>, where
/// <see cref="OwnerFilter"/> lets only the owner (or the admin) in, and <c>/{algo}</c> under it, where
/// <see cref="AlgorithmFilter"/> finds the algorithm, so the handlers below start from an owned, existing algorithm.
/// </summary>
internal static class AlgorithmEndpoints
{
    public static void MapAlgorithmEndpoints(this IEndpointRouteBuilder routes)
    {
        var owner = routes.MapGroup("/v1/algorithms/{owner}").AddEndpointFilter<CallerFilter>().AddEndpointFilter<OwnerFilter>();
        owner.MapPost("", CreateAsync);

        var algorithm = owner.MapGroup("/{algo}").AddEndpointFilter<AlgorithmFilter>();
        algorithm.MapGet("", Get);
        algorithm.MapPut("", UpdateAsync);
        algorithm.MapDelete("", DeleteAsync);
        algorithm.MapPost("/compile", CompileAsync);
        algorithm.MapGet("/versions", ListVersions);
        algorithm.MapGet("/versions/{hash}", GetVersion);
        algorithm.MapPost("/versions", PublishAsync);
        algorithm.MapGet("/builds", ListBuilds);
        algorithm.MapGet("/builds/{buildId}", GetBuild);
        algorithm.MapGet("/builds/{buildId}/logs", GetBuildLogs);
        // The internal SCM is always connected (the official client's get_scm_status reads scm_connection_status).
        algorithm.MapGet("/scm/status", () => Results.Json(new JsonObject { ["scm_connection_status"] = "active" }));
        routes.MapGet("/v1/scms", () => Results.Json(new JsonObject { ["results"] = new JsonArray(AlgorithmObjects.InternalScm()) })).AddEndpointFilter<CallerFilter>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string owner, AlgorithmRegistry registry, GitRepositories git, EnvironmentCatalog environments, TimeProvider time)
    {
        var route = Route(context);
        if (await ReadObjectAsync(context, route).ConfigureAwait(false) is not { } body)
        {
            return ApiError.BadRequest(route, "the body must be a JSON object with 'name', 'details' and 'settings'", ApiError.InvalidJson);
        }

        var name = body["name"] is JsonValue n && n.TryGetValue<string>(out var text) ? text : null;
        if (name is null || !TestBench.Harness.Workflows.AlgorithmName.IsValid(name))
        {
            return ApiError.BadRequest(route, $"'name' is '{name}'; an algorithm name {TestBench.Harness.Workflows.AlgorithmName.Rule}");
        }

        var (environment, problems) = CreateAlgorithmRules.Check(body, environments);
        if (environment is null)
        {
            return ApiError.BadRequest(route, string.Join("; ", problems));
        }

        var settings = (JsonObject)body["settings"]!;
        var record = new AlgorithmRecord
        {
            Id = Guid.NewGuid().ToString(),
            Owner = owner,
            Name = name,
            CreatedAt = time.GetUtcNow(),
            Details = (body["details"] as JsonObject)?.DeepClone().AsObject() ?? [],
            Settings = (JsonObject)settings.DeepClone(),
            EnvironmentId = environment.Id,
        };
        if (registry.Find(owner, name) is not null)
        {
            return ApiError.Result(StatusCodes.Status409Conflict, ApiError.AlgorithmExists, $"{route}: algorithm name '{name}' already exists");
        }

        await git.CreateAsync(owner, name, context.RequestAborted).ConfigureAwait(false);
        if (!registry.TryAdd(record))
        {
            return ApiError.Result(StatusCodes.Status409Conflict, ApiError.AlgorithmExists, $"{route}: algorithm name '{name}' already exists");
        }

        return TypedResults.Json(AlgorithmObjects.Algorithm(record, BaseAddress(context)));
    }

    private static JsonHttpResult<JsonObject> Get(HttpContext context) =>
        TypedResults.Json(AlgorithmRegistry.Read(AlgorithmFilter.AlgorithmOf(context), a => AlgorithmObjects.Algorithm(a, BaseAddress(context))));

    private static async Task<IResult> UpdateAsync(HttpContext context, AlgorithmRegistry registry)
    {
        var route = Route(context);
        if (await ReadObjectAsync(context, route).ConfigureAwait(false) is not { } body)
        {
            return ApiError.BadRequest(route, "the body must be a JSON object with 'details' and/or 'settings'", ApiError.InvalidJson);
        }

        var updated = registry.Update(AlgorithmFilter.AlgorithmOf(context), a =>
        {
            Merge(a.Details, body["details"] as JsonObject);
            Merge(a.Settings, body["settings"] as JsonObject);
            return AlgorithmObjects.Algorithm(a, BaseAddress(context));
        });
        return TypedResults.Json(updated);
    }

    private static async Task<NoContent> DeleteAsync(HttpContext context, AlgorithmRegistry registry, GitRepositories git, BuildService builds, AlgorithmRuntime runtime)
    {
        var algorithm = AlgorithmFilter.AlgorithmOf(context);
        await runtime.StopAsync(algorithm).ConfigureAwait(false);
        registry.Remove(algorithm.Owner, algorithm.Name);
        git.Delete(algorithm.Owner, algorithm.Name);
        builds.DeleteOutputs(algorithm.Owner, algorithm.Name);
        return TypedResults.NoContent();
    }

    private static async Task<JsonHttpResult<JsonObject>> CompileAsync(HttpContext context, GitRepositories git, BuildService builds)
    {
        var algorithm = AlgorithmFilter.AlgorithmOf(context);
        var head = await git.HeadAsync(algorithm.Owner, algorithm.Name, context.RequestAborted).ConfigureAwait(false);
        var build = await builds.BuildAsync(algorithm, head, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(AlgorithmRegistry.Read(algorithm, a => AlgorithmObjects.Algorithm(a, BaseAddress(context), build.Status == BuildRecord.Succeeded ? build : null)));
    }

    private static IResult ListVersions(HttpContext context, string? published, string? callable, string? marker, string? limit)
    {
        var algorithm = AlgorithmFilter.AlgorithmOf(context);
        if (PageArguments(context, marker, limit) is not ({ } offset, { } size))
        {
            return ApiError.BadRequest(Route(context), $"'limit' must be 1..1000 and 'marker' one this server gave out (limit '{limit}', marker '{marker}')", ApiError.InvalidMarker);
        }

        if ((BadFlag("published", published) ?? BadFlag("callable", callable)) is { } problem)
        {
            return ApiError.BadRequest(Route(context), problem);
        }

        var items = AlgorithmRegistry.Read(algorithm, a => a.Builds
            .Where(b => b.Status == BuildRecord.Succeeded)
            .Select(b => (Build: b, Version: a.Versions.LastOrDefault(v => v.PublishedFrom(b))))
            .Where(x => published is null || bool.Parse(published!) == (x.Version is not null))
            .Where(x => callable is null || (x.Version?.Callability == "public") == bool.Parse(callable!))
            .Reverse()
            .Select(x => (JsonNode)AlgorithmObjects.Algorithm(a, BaseAddress(context), x.Build, x.Version))
            .ToArray());
        return TypedResults.Json(AlgorithmObjects.Page(items, offset, size, new Uri(context.Request.GetDisplayUrl())));
    }

    private static IResult GetVersion(HttpContext context, string hash) =>
        AlgorithmRegistry.Read(AlgorithmFilter.AlgorithmOf(context), a =>
        {
            var build = a.Builds.LastOrDefault(b => b.CommitSha == hash && b.Status == BuildRecord.Succeeded);
            return build is null
                ? ApiError.NotFound(Route(context), $"version {hash}")
                : TypedResults.Json(AlgorithmObjects.Algorithm(a, BaseAddress(context), build));
        });

    private static async Task<IResult> PublishAsync(HttpContext context, AlgorithmRegistry registry, TimeProvider time)
    {
        var route = Route(context);
        var body = await ReadObjectAsync(context, route, allowEmpty: true).ConfigureAwait(false);
        if (body is null)
        {
            return ApiError.BadRequest(route, "the body must be a JSON object", ApiError.InvalidJson);
        }

        // api-docs "Publish an algorithm": settings.algorithm_callability, version_info.version_type and details.label are required.
        var versionInfo = body["version_info"] as JsonObject ?? [];
        var bump = Text(versionInfo["version_type"]);
        var callability = Text((body["settings"] as JsonObject)?["algorithm_callability"]);
        var problems = new List<string>();
        if (bump is not ("major" or "minor" or "patch"))
        {
            problems.Add(bump is null ? "version_info.version_type is required: major, minor or patch" : $"version_info.version_type is '{bump}'; use major, minor or patch");
        }

        if (callability is not ("public" or "private"))
        {
            problems.Add(callability is null ? "settings.algorithm_callability is required: public or private" : $"settings.algorithm_callability is '{callability}'; use public or private");
        }

        if (Text((body["details"] as JsonObject)?["label"]) is null)
        {
            problems.Add("details.label is required (the display name of the published version)");
        }

        if (problems.Count > 0)
        {
            return ApiError.BadRequest(route, string.Join("; ", problems));
        }

        return registry.Update(AlgorithmFilter.AlgorithmOf(context), a =>
        {
            var build = a.LatestSuccessfulBuild;
            if (build is null)
            {
                return ApiError.BadRequest(route, "there is no successful build to publish; push code or compile first");
            }

            // Only the newest compiled build is published; once it is, the algorithm must be compiled again.
            if (a.Versions.Any(v => v.PublishedFrom(build)))
            {
                return ApiError.BadRequest(route, "Version already published. Please compile your algorithm.", ApiError.VersionAlreadyPublished);
            }

            var latest = a.Versions.Select(v => v.SemanticVersion).OrderBy(VersionResolver.Semantic).LastOrDefault();
            var version = new VersionRecord
            {
                GitHash = build.CommitSha,
                BuildId = build.BuildId,
                SemanticVersion = VersionResolver.Next(latest, bump!),
                Callability = callability!,
                ReleaseNotes = versionInfo["release_notes"]?.ToString(),
                SampleInput = versionInfo["sample_input"]?.ToString(),
                PublishedAt = time.GetUtcNow(),
            };
            a.Versions.Add(version);
            return TypedResults.Json(AlgorithmObjects.Algorithm(a, BaseAddress(context), build, version));
        });
    }

    private static IResult ListBuilds(HttpContext context, string? marker, string? limit)
    {
        var algorithm = AlgorithmFilter.AlgorithmOf(context);
        if (PageArguments(context, marker, limit) is not ({ } offset, { } size))
        {
            return ApiError.BadRequest(Route(context), $"'limit' must be 1..1000 and 'marker' one this server gave out (limit '{limit}', marker '{marker}')", ApiError.InvalidMarker);
        }

        var items = AlgorithmRegistry.Read(algorithm, a => a.Builds.AsEnumerable().Reverse().Select(b => (JsonNode)AlgorithmObjects.Build(b)).ToArray());
        return TypedResults.Json(AlgorithmObjects.Page(items, offset, size, new Uri(context.Request.GetDisplayUrl())));
    }

    private static IResult GetBuild(HttpContext context, string buildId) =>
        AlgorithmRegistry.Read(AlgorithmFilter.AlgorithmOf(context), a =>
            a.Builds.FirstOrDefault(b => b.BuildId == buildId) is { } build
                ? TypedResults.Json(AlgorithmObjects.Build(build))
                : ApiError.NotFound(Route(context), $"build {buildId}"));

    private static IResult GetBuildLogs(HttpContext context, string buildId) =>
        AlgorithmRegistry.Read(AlgorithmFilter.AlgorithmOf(context), a =>
            a.Builds.FirstOrDefault(b => b.BuildId == buildId) is { } build && build.Status != BuildRecord.InProgress
                ? TypedResults.Json(new { logs = build.Log })
                : ApiError.NotFound(Route(context), $"logs of build {buildId} (they exist once the build has finished)"));

    /// <summary>A JSON value as the text a field holds: a string as is, any other value as its JSON (so a wrong type is
    /// named in the error, never an exception); <see langword="null"/> when absent.</summary>
    private static string? Text(JsonNode? node) =>
        node is null ? null : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    /// <summary>Why a true/false query parameter is unusable, or <see langword="null"/>.</summary>
    private static string? BadFlag(string name, string? value) =>
        value is null || bool.TryParse(value, out _) ? null : $"query '{name}' is '{value}'; use true or false";

    private static (int?, int?) PageArguments(HttpContext context, string? marker, string? limit)
    {
        var offset = 0;
        var size = 50;
        if ((marker is not null && (!int.TryParse(marker, out offset) || offset < 0))
            || (limit is not null && (!int.TryParse(limit, out size) || size is < 1 or > 1000)))
        {
            return (null, null);
        }

        return (offset, size);
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context, string route, bool allowEmpty = false)
    {
        try
        {
            if (allowEmpty && context.Request.ContentLength == 0)
            {
                return [];
            }

            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return allowEmpty && context.Request.ContentLength is null or 0 ? [] : null;
        }
    }

    private static void Merge(JsonObject target, JsonObject? changes)
    {
        foreach (var (key, value) in changes ?? [])
        {
            target[key] = value?.DeepClone();
        }
    }

    internal static Uri BaseAddress(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}/");

    private static string Route(HttpContext context) => ApiError.RouteOf(context);
}
