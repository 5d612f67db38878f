using TestBench.LocalCluster.Access;
namespace TestBench.LocalCluster.Api;

/// <summary>
/// Guards the routes of one owner's algorithms (<c>{owner}</c> in the group's prefix): an unknown user is 404, and
/// only that user or the admin gets through (403 otherwise). Runs after <see cref="CallerFilter"/>.
/// </summary>
internal sealed class OwnerFilter(ApiKeys keys) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var owner = (string)http.GetRouteValue("owner")!;
        var route = ApiError.RouteOf(http);
        if (!keys.Users.Contains(owner))
        {
            return ValueTask.FromResult<object?>(ApiError.NotFound(route, $"user '{owner}'", ApiError.UserNotFound));
        }

        var caller = CallerFilter.CallerOf(http);
        return caller.User == owner || caller.IsAdmin ? next(context) : ValueTask.FromResult<object?>(ApiError.Forbidden(route, $"algorithms of {owner}"));
    }
}
