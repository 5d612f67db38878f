using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>Finds the algorithm of <c>{owner}/{algo}</c> for the endpoints under it (404 when there is none); runs after <see cref="OwnerFilter"/>.</summary>
internal sealed class AlgorithmFilter(AlgorithmRegistry registry) : IEndpointFilter
{
    private const string ItemKey = "testbench.algorithm";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (owner, algo) = ((string)http.GetRouteValue("owner")!, (string)http.GetRouteValue("algo")!);
        if (registry.Find(owner, algo) is not { } algorithm)
        {
            // "No such algorithm" is what the official client's exists() looks for (algorithmia-python Algorithmia/algorithm.py).
            return ValueTask.FromResult<object?>(ApiError.Result(StatusCodes.Status404NotFound, ApiError.NoSuchAlgorithm, $"{ApiError.RouteOf(http)}: No such algorithm {owner}/{algo}"));
        }

        http.Items[ItemKey] = algorithm;
        return next(context);
    }

    /// <summary>The algorithm of a request that passed this filter.</summary>
    public static AlgorithmRecord AlgorithmOf(HttpContext context) => (AlgorithmRecord)context.Items[ItemKey]!;
}
