using System.Text;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Runtime;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// Algorithm calls: <c>POST /v1/algo/{owner}/{algo}[/{version}]</c> with a text, JSON or binary body (≤ 10 MiB),
/// query <c>timeout</c>, <c>stdout</c> and <c>output=raw|void</c>. Algorithm errors answer 200 with an
/// <c>error</c> (as the platform does); platform failures (unknown algorithm or version, full queue, timeout)
/// answer 4xx/5xx.
/// </summary>
internal static partial class InvokeEndpoints
{
    public static void MapInvokeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/algo/{owner}/{algo}").AddEndpointFilter<CallerFilter>();
        group.MapPost("", (HttpContext context, string owner, string algo, AlgorithmRegistry registry, ApiKeys keys, AlgorithmRuntime runtime, ILogger<AlgorithmRuntime> logger) =>
            CallAsync(context, owner, algo, null, registry, keys, runtime, logger));
        group.MapPost("/{version}", CallAsync);
    }

    private static async Task CallAsync(HttpContext context, string owner, string algo, string? version, AlgorithmRegistry registry, ApiKeys keys, AlgorithmRuntime runtime, ILogger<AlgorithmRuntime> logger)
    {
        var arrived = runtime.Now();
        await runtime.StallAsync(fromAlgorithm: CallerFilter.CallerOf(context).Algorithm is not null, context.RequestAborted).ConfigureAwait(false);
        var route = $"POST /v1/algo/{owner}/{algo}{(version is null ? "" : "/" + version)}";
        var caller = CallerFilter.CallerOf(context);
        var owned = caller.User == owner;
        if (owner == ".my")
        {
            owner = caller.User;
            owned = true;
        }

        var algorithm = registry.Find(owner, algo);
        if (algorithm is null)
        {
            await ApiError.NotFound(route, $"algorithm {owner}/{algo}", ApiError.AlgorithmNotFound).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (build, _, problem, notBuilt) = AlgorithmRegistry.Read(algorithm, a => VersionResolver.Resolve(a, version, owned));
        if (build is null)
        {
            var status = notBuilt ? StatusCodes.Status404NotFound : owned ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            await ApiError.Result(status, ApiError.AlgorithmNotFound, $"{route}: {problem}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (options, optionsProblem) = CallOptions.Parse(context.Request.Query);
        var output = context.Request.Query["output"].ToString();
        if (options is null || output is not ("" or "raw" or "void"))
        {
            await ApiError.BadRequest(route, optionsProblem ?? $"query 'output' is '{output}'; use raw or void").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (input, inputProblem, inputStatus) = await AlgorithmRequestReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (input is null)
        {
            await ApiError.Result(inputStatus, ApiError.InvalidRequest, $"{route}: {inputProblem}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var requestId = "req-" + Guid.NewGuid().ToString("N");
        var pool = runtime.PoolFor(algorithm, build);
        if (output == "void")
        {
            // Admission is decided before the call's first await: a full queue refuses it now, like any other call,
            // instead of answering "accepted" for a call that will never run.
            var queued = pool.CallAsync(input, options.Timeout, CancellationToken.None);
            if (queued is { IsFaulted: true, Exception.InnerException: QueueFullException full })
            {
                await ApiError.TooMany(route, full.Message).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            // Nobody waits for a void call; its failure is counted in the metrics and must not go unobserved. With a
            // request-complete address (the LangServer's async mode), its result is posted there when done.
            _ = queued.ContinueWith(call => call.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (context.RequestServices.GetService<CompletionNotifier>() is { } notifier)
            {
                // Only the X- headers travel with the result; the caller's key is not kept past the request.
                var headers = context.Request.Headers.Where(h => h.Key.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
                    .Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToArray();
                // The slowdown hook holds the result's delivery, so an async caller sees the same factor a waiting one does.
                var slowed = SlowedAsync(queued, runtime, arrived, fromAlgorithm: caller.Algorithm is not null);
                _ = NotifyWhenDoneAsync(slowed, notifier, headers, options.IncludeStdout && owned, requestId);
            }

            await Results.Json(new { async = true, request_id = requestId }).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            var result = await pool.CallAsync(input, options.Timeout, context.RequestAborted).ConfigureAwait(false);
            await runtime.SlowDownAsync(arrived, fromAlgorithm: caller.Algorithm is not null, context.RequestAborted).ConfigureAwait(false);
            LogCall(logger, requestId, pool.Label, result.DurationSeconds, result.Error?.ErrorType ?? "ok");
            if (output == "raw")
            {
                await WriteRawAsync(context, result).ConfigureAwait(false);
                return;
            }

            await CallResponseWriter.WriteAsync(context.Response, result, options.IncludeStdout && owned, requestId, context.RequestAborted).ConfigureAwait(false);
        }
        catch (QueueFullException e)
        {
            await ApiError.TooMany(route, e.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (WorkerStartException e)
        {
            await ApiError.Result(StatusCodes.Status500InternalServerError, ApiError.InternalError, $"{route}: {e.Message}").ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task<CallResult> SlowedAsync(Task<CallResult> call, AlgorithmRuntime runtime, long arrived, bool fromAlgorithm)
    {
        var result = await call.ConfigureAwait(false);
        await runtime.SlowDownAsync(arrived, fromAlgorithm, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static async Task NotifyWhenDoneAsync(Task<CallResult> call, CompletionNotifier notifier, KeyValuePair<string, string>[] headers, bool includeStdout, string requestId)
    {
        byte[] body;
        try
        {
            body = CallResponseWriter.Body(await call.ConfigureAwait(false), includeStdout, requestId);
        }
#pragma warning disable CA1031 // Whatever stopped the call is the result the caller is told of.
        catch (Exception e)
#pragma warning restore CA1031
        {
            body = System.Text.Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject
            {
                ["error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = e.Message, ["error_type"] = "SystemError" },
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["duration"] = 0 },
            }.ToJsonString());
        }

        await notifier.NotifyAsync(body, headers).ConfigureAwait(false);
    }

    /// <summary><c>output=raw</c>: the bare result; an algorithm error becomes HTTP 400 with its message.</summary>
    private static Task WriteRawAsync(HttpContext context, CallResult result)
    {
        if (result.Error is { } error)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync(error.Message);
        }

        var value = result.Result!.Value;
        return result.ContentType switch
        {
            "binary" => context.Response.Body.WriteAsync(Convert.FromBase64String(value.GetString()!)).AsTask(),
            "text" => context.Response.WriteAsync(value.GetString()!, Encoding.UTF8),
            _ => context.Response.WriteAsync(value.GetRawText(), Encoding.UTF8),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{RequestId} call {Label} took {Seconds:0.000} s: {Outcome}")]
    private static partial void LogCall(ILogger logger, string requestId, string label, double seconds, string outcome);
}
