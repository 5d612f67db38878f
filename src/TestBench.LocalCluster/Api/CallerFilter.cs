using TestBench.LocalCluster.Access;

namespace TestBench.LocalCluster.Api;

/// <summary>Answers 401 for requests without a known key, and hands the caller to the endpoint.</summary>
internal sealed class CallerFilter(ApiKeys keys) : IEndpointFilter
{
    private const string ItemKey = "testbench.caller";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = keys.Authenticate(context.HttpContext.Request);
        if (caller is null)
        {
            return ValueTask.FromResult<object?>(ApiError.Unauthorized(ApiError.RouteOf(context.HttpContext)));
        }

        context.HttpContext.Items[ItemKey] = caller;
        return next(context);
    }

    /// <summary>The caller of a request that passed this filter.</summary>
    public static Caller CallerOf(HttpContext context) => (Caller)context.Items[ItemKey]!;
}
