using TestBench.LocalCluster.Builds;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// The web API the original tool used for environments (admin key only):
/// <c>/webapi/v1/algorithm-environments/environments/current|available</c> and the specification syncs.
/// </summary>
internal static class EnvironmentEndpoints
{
    private static readonly string[] RequirementFiles = ["requirements.txt"];

    public static void MapEnvironmentEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/webapi/v1/algorithm-environments").AddEndpointFilter<CallerFilter>();
        group.MapGet("/environments/current", (HttpContext context, EnvironmentCatalog catalog) =>
            AdminOnly(context, () => Results.Json(catalog.Current.Select(Describe))));
        group.MapGet("/environments/available", (HttpContext context, EnvironmentCatalog catalog) =>
            AdminOnly(context, () => Results.Json(catalog.Available.Select(Describe))));
        group.MapPost("/environment-specifications/{specId}/syncs", (HttpContext context, string specId, EnvironmentCatalog catalog) =>
            AdminOnly(context, () => catalog.Available.FirstOrDefault(e => e.EnvironmentSpecificationId == specId) is { } environment
                ? Results.Json(new { sync_result = catalog.Sync(environment), environment_id = environment.Id }, statusCode: StatusCodes.Status202Accepted)
                : ApiError.NotFound($"POST {context.Request.Path}", $"environment specification '{specId}'")));
        group.MapGet("/environment-specifications/{specId}/syncs/{environmentId}", (HttpContext context, string specId, string environmentId, EnvironmentCatalog catalog) =>
            AdminOnly(context, () => catalog.SyncResult(environmentId) is { } result
                ? Results.Json(new { sync_result = result })
                : ApiError.NotFound($"GET {context.Request.Path}", $"a sync of environment '{environmentId}' (specification '{specId}')")));
        var edge = routes.MapGroup("/v1/algorithm-environments/edge").AddEndpointFilter<CallerFilter>();
        edge.MapGet("/languages/{language}/environments", (string language, EnvironmentCatalog catalog) =>
            Results.Json(new { environments = catalog.Available.Where(e => e.Language == language).Select(Describe) }));
        // A bare list of {name, display_name, configuration}, as the official client's mock answers (algorithmia-python
        // Test/api/app.py); configuration is the language's JSON text.
        edge.MapGet("/languages", (EnvironmentCatalog catalog) =>
            Results.Json(catalog.Available.Select(e => e.Language).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(language => new
            {
                name = language,
                display_name = $"{language} (Environments)",
                configuration = System.Text.Json.JsonSerializer.Serialize(new { display_name = $"{language} (Environments)", req_files = RequirementFiles }),
            })));
    }

    private static object Describe(EnvironmentSpec environment) => new
    {
        id = environment.Id,
        environment_specification_id = environment.EnvironmentSpecificationId,
        display_name = environment.DisplayName,
        description = $"{environment.DisplayName} on the TestBench local cluster",
        language = new { name = environment.Language, display_name = environment.Language },
        machine_type = environment.MachineType,
    };

    private static IResult AdminOnly(HttpContext context, Func<IResult> handle) =>
        CallerFilter.CallerOf(context).IsAdmin ? handle() : ApiError.Forbidden($"{context.Request.Method} {context.Request.Path}", "the environment web API (it needs the admin key)");
}
