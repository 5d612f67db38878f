using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary><c>GET /health</c> and <c>GET /metrics</c> (Prometheus text) for the whole cluster; no key needed.</summary>
internal static class ObservabilityEndpoints
{
    public static IEndpointRouteBuilder MapObservabilityEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", (AlgorithmRegistry registry, AlgorithmRuntime runtime) =>
            Results.Json(new { status = "healthy", algorithms = registry.All().Count(), warm_pools = runtime.Pools.Count() }));
        routes.MapGet("/metrics", (RuntimeMetrics metrics) => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4"));
        return routes;
    }
}
