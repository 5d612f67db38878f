using TestBench.LocalCluster.Api;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.LangServer;

/// <summary>
/// The standalone LangServer's routes: <c>POST /</c> calls the loaded algorithm, <c>GET /health</c> says it is
/// alive, <c>GET /metrics</c> gives Prometheus text.
/// </summary>
internal static class LangServerEndpoints
{
    public static RouteGroupBuilder MapLangServerEndpoints(this RouteGroupBuilder group, WorkerPool pool, RuntimeMetrics metrics)
    {
        group.MapPost("/", (HttpContext context) => CallAsync(context, pool));
        group.MapGet("/health", () => Results.Json(new { result = "LangServer alive.", algorithm = pool.Label, running = pool.Running, queued = pool.Queued }));
        group.MapGet("/metrics", () => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4"));
        return group;
    }

    private static async Task CallAsync(HttpContext context, WorkerPool pool)
    {
        var (options, optionsProblem) = CallOptions.Parse(context.Request.Query);
        if (options is null)
        {
            await CallResponseWriter.SystemError(StatusCodes.Status400BadRequest, $"POST /: {optionsProblem}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (input, problem, status) = await AlgorithmRequestReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (input is null)
        {
            await CallResponseWriter.SystemError(status, $"POST /: {problem}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            var result = await pool.CallAsync(input, options.Timeout, context.RequestAborted).ConfigureAwait(false);
            await CallResponseWriter.WriteAsync(context.Response, result, options.IncludeStdout, requestId: null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (QueueFullException e)
        {
            context.Response.Headers.RetryAfter = ApiError.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await CallResponseWriter.SystemError(StatusCodes.Status429TooManyRequests, e.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (WorkerStartException e)
        {
            await CallResponseWriter.SystemError(StatusCodes.Status500InternalServerError, e.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
