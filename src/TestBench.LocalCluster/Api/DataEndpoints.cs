using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// The data API under <c>/v1/data/…</c> (what the Python client uses) and <c>/v1/connector/data/…</c> (what
/// the docs name): list, read, HEAD, upload, create folder, delete, ACL update. Only a path's owner may read
/// or write it.
/// </summary>
internal static class DataEndpoints
{
    private const int PageSize = 1000;

    public static void MapDataEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/v1/data", "/v1/connector/data" })
        {
            var group = routes.MapGroup(prefix).AddEndpointFilter<CallerFilter>();
            foreach (var pattern in new[] { "", "/{**path}" })
            {
                group.MapMethods(pattern, ["GET", "HEAD"], Read);
                group.MapPut(pattern, Upload);
                group.MapPost(pattern, CreateFolder);
                group.MapDelete(pattern, Delete);
                group.MapPatch(pattern, UpdateAcl);
            }
        }
    }

    private static IResult Read(HttpContext context, DataStore store, ApiKeys keys, string? path, string? marker)
    {
        if (Resolve(context, path, keys, write: false) is not { } resolved)
        {
            return Rejection(context, path, keys);
        }

        if (resolved.IsRoot)
        {
            context.Response.Headers["X-Data-Type"] = "directory";
            return Results.Json(new { folders = new[] { new { name = CallerFilter.CallerOf(context).User } } });
        }

        // Algorithm storage (data://.algo/<owner>/<algo>/temp|perm) always exists, as on the platform.
        if (resolved.Segments[0] == ".algo" && resolved.Segments.Count <= 4 && store.KindOf(resolved) == DataKind.None)
        {
            store.EnsureFolder(resolved);
        }

        switch (store.KindOf(resolved))
        {
            case DataKind.File:
                var info = store.Describe(resolved);
                context.Response.Headers["X-Data-Type"] = "file";
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    context.Response.ContentLength = info.Length;
                    return Results.Empty;
                }

                return Results.Stream(store.OpenRead(resolved), "application/octet-stream", lastModified: info.LastWriteTimeUtc, enableRangeProcessing: true);
            case DataKind.Folder:
                context.Response.Headers["X-Data-Type"] = "directory";
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    return Results.Empty;
                }

                if (marker is not null && (!int.TryParse(marker, out var start) || start < 0))
                {
                    return ApiError.BadRequest(Route(context), $"marker '{marker}' is not one this server gave out", ApiError.InvalidMarker);
                }

                var (entries, next) = store.List(resolved, marker, PageSize);
                return Results.Json(Listing(entries, next));
            default:
                return ApiError.NotFound(Route(context), $"'{resolved.Uri}'");
        }
    }

    private static async Task<IResult> Upload(HttpContext context, DataStore store, ApiKeys keys, string? path)
    {
        if (Resolve(context, path, keys, write: true) is not { } resolved)
        {
            return Rejection(context, path, keys);
        }

        if (resolved.Segments.Count < 2)
        {
            return ApiError.BadRequest(Route(context), "files go inside a collection: data://<owner>/<collection>/<file>");
        }

        if (store.KindOf(resolved) == DataKind.Folder)
        {
            return ApiError.BadRequest(Route(context), $"'{resolved.Uri}' is a folder");
        }

        if (!EnsureParent(store, resolved))
        {
            return ApiError.NotFound(Route(context), $"folder '{resolved.Parent.Uri}' (create it first)");
        }

        // Data files may be many GiB: no body limit here, and the body is streamed to disk.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await store.WriteAsync(resolved, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { result = resolved.Uri });
    }

    private static async Task<IResult> CreateFolder(HttpContext context, DataStore store, ApiKeys keys, string? path)
    {
        if (Resolve(context, path, keys, write: true) is not { } parent)
        {
            return Rejection(context, path, keys);
        }

        string? name;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            name = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        catch (JsonException e)
        {
            return ApiError.BadRequest(Route(context), $"the body is not JSON: {e.Message}", ApiError.InvalidJson);
        }

        string? problem = null;
        if (string.IsNullOrEmpty(name) || name.StartsWith('.') || DataPath.TryResolve(name, CallerFilter.CallerOf(context), out problem) is not { Segments.Count: 1 })
        {
            return ApiError.BadRequest(Route(context), $"the body must be {{\"name\": \"<folder name>\"}} with a plain name{(problem is null ? "" : $" ({problem})")}");
        }

        if (parent.IsRoot || !EnsureParent(store, parent.Child(name)))
        {
            return ApiError.NotFound(Route(context), $"folder '{parent.Uri}'");
        }

        var folder = parent.Child(name);
        return store.CreateFolder(folder)
            ? Results.Json(new { result = folder.Uri })
            : ApiError.Result(StatusCodes.Status409Conflict, ApiError.RequestInvalid, $"{Route(context)}: '{folder.Uri}' already exists");
    }

    private static IResult Delete(HttpContext context, DataStore store, ApiKeys keys, string? path, string? force)
    {
        if (Resolve(context, path, keys, write: true) is not { } resolved)
        {
            return Rejection(context, path, keys);
        }

        switch (store.KindOf(resolved))
        {
            case DataKind.File:
                store.DeleteFile(resolved);
                return Results.Json(new { result = new { deleted = 1 } });
            case DataKind.Folder when resolved.Segments.Count >= 2:
                var deleted = store.DeleteFolder(resolved, string.Equals(force, "true", StringComparison.OrdinalIgnoreCase));
                return deleted is { } count
                    ? Results.Json(new { result = new { deleted = count } })
                    : ApiError.BadRequest(Route(context), $"folder '{resolved.Uri}' is not empty; delete it with ?force=true");
            case DataKind.Folder:
                return ApiError.BadRequest(Route(context), "a user's root folder cannot be deleted");
            default:
                return ApiError.NotFound(Route(context), $"'{resolved.Uri}'");
        }
    }

    private static async Task<IResult> UpdateAcl(HttpContext context, DataStore store, ApiKeys keys, string? path)
    {
        if (Resolve(context, path, keys, write: true) is not { } resolved)
        {
            return Rejection(context, path, keys);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (!body.RootElement.TryGetProperty("acl", out _))
            {
                return ApiError.BadRequest(Route(context), "the body must be {\"acl\": {\"read\": [...]}}");
            }
        }
        catch (JsonException e)
        {
            return ApiError.BadRequest(Route(context), $"the body is not JSON: {e.Message}", ApiError.InvalidJson);
        }

        // Only owners ever read or write here, which is stricter than any ACL; the ACL is accepted, not stored.
        return store.KindOf(resolved) == DataKind.Folder ? Results.Ok() : ApiError.NotFound(Route(context), $"folder '{resolved.Uri}'");
    }

    /// <summary>The resolved path when the caller may use it; <see langword="null"/> when <see cref="Rejection"/> applies.</summary>
    private static DataPath? Resolve(HttpContext context, string? path, ApiKeys keys, bool write)
    {
        var caller = CallerFilter.CallerOf(context);
        var resolved = HasDotSegments(context) ? null : DataPath.TryResolve(path, caller, out _);
        if (resolved is null || (!resolved.IsRoot && !keys.Users.Contains(resolved.Owner)))
        {
            return null;
        }

        return resolved.IsRoot ? (write ? null : resolved) : resolved.Owner == caller.User || caller.IsAdmin ? resolved : null;
    }

    private static IResult Rejection(HttpContext context, string? path, ApiKeys keys)
    {
        if (HasDotSegments(context))
        {
            return ApiError.BadRequest(Route(context), "'.' and '..' segments are not allowed in data paths");
        }

        var caller = CallerFilter.CallerOf(context);
        var resolved = DataPath.TryResolve(path, caller, out var problem);
        if (resolved is null)
        {
            return ApiError.BadRequest(Route(context), problem!);
        }

        if (resolved.IsRoot)
        {
            return ApiError.BadRequest(Route(context), "the data root cannot be written");
        }

        return keys.Users.Contains(resolved.Owner)
            ? ApiError.Forbidden(Route(context), $"'{resolved.Uri}' (it belongs to {resolved.Owner})")
            : ApiError.NotFound(Route(context), $"user '{resolved.Owner}'", ApiError.UserNotFound);
    }

    /// <summary>
    /// Kestrel removes <c>..</c> (also <c>%2e%2e</c>) before routing, so <c>data/u/../x</c> would quietly become
    /// <c>data/x</c>; the request as sent is checked instead, and refused.
    /// </summary>
    private static bool HasDotSegments(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var path = Uri.UnescapeDataString(raw.Split('?')[0]);
        return path.Split('/').Any(segment => segment is "." or "..");
    }

    private static bool EnsureParent(DataStore store, DataPath path)
    {
        var parent = path.Parent;
        if (store.KindOf(parent) == DataKind.Folder)
        {
            return true;
        }

        // A user's own folder always exists, and algorithm storage (.algo) is created on first use.
        if (parent.Segments.Count == 1 || parent.Segments[0] == ".algo")
        {
            store.EnsureFolder(parent);
            return true;
        }

        return false;
    }

    private static Dictionary<string, object> Listing(IReadOnlyList<DataEntry> entries, string? next)
    {
        var listing = new Dictionary<string, object>();
        var folders = entries.Where(e => e.IsFolder).Select(e => new { name = e.Name }).ToArray();
        var files = entries.Where(e => !e.IsFolder)
            .Select(e => new { filename = e.Name, last_modified = e.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), size = e.Size })
            .ToArray();
        if (folders.Length > 0)
        {
            listing["folders"] = folders;
        }

        if (files.Length > 0)
        {
            listing["files"] = files;
        }

        if (next is not null)
        {
            listing["marker"] = next;
        }

        return listing;
    }

    private static string Route(HttpContext context) => $"{context.Request.Method} {context.Request.Path}";
}
