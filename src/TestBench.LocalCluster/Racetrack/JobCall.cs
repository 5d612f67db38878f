using System.Text.Json;
using System.Text.Json.Nodes;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>What a job answered one call of <c>api/v1/perform</c>: status, body and its content type, as the job type sends them.</summary>
public sealed record JobAnswer(int Status, string Body, string ContentType = "application/json")
{
    public bool Failed => Status != StatusCodes.Status200OK;

    public IResult ToResult() => Results.Text(Body, ContentType, statusCode: Status);

    public static JobAnswer Json(int status, JsonNode body) => new(status, body.ToJsonString());
}

/// <summary>
/// One call of a job's <c>perform</c> as the python3 job type makes it: the body (a JSON object; empty means the
/// job's input example) bound to keyword arguments, the job's errors in its shapes. Pub's synchronous and async calls share it.
/// </summary>
internal static class JobCall
{
    /// <summary>How long one call may run; Racetrack's synchronous calls are cut by its gateway's timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<JobAnswer> PerformAsync(RacetrackJob job, WorkerPool pool, string content, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            // An empty body falls back to the job's input example, as the wrapper's default body.
            body = content.Trim().Length == 0
                ? JsonSerializer.SerializeToElement(job.InputExample ?? new JsonObject())
                : JsonSerializer.Deserialize<JsonElement>(content);
        }
        catch (JsonException e)
        {
            return Validation($"the body is not JSON: {e.Message}", "json_invalid");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Validation("Input should be a valid dictionary", "dict_type");
        }

        CallResult result;
        try
        {
            result = await pool.CallAsync(AlgorithmInput.FromJson(body), Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueFullException e)
        {
            return JobAnswer.Json(StatusCodes.Status429TooManyRequests, new JsonObject { ["detail"] = $"too many requests waiting in a queue. {e.Message}" });
        }

        job.AppendLog(result.Stdout);
        if (result.Error is { } error)
        {
            var status = error.ErrorType is "ValueError" or "TypeError" ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
            return JobAnswer.Json(status, new JsonObject { ["error"] = error.Message, ["type"] = error.ErrorType });
        }

        // The job type answers the return value's JSON, whatever its type (a string is a JSON string).
        return new JobAnswer(StatusCodes.Status200OK, result.Result!.Value.GetRawText());
    }

    private static JobAnswer Validation(string message, string type) =>
        JobAnswer.Json(StatusCodes.Status422UnprocessableEntity, new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = type, ["loc"] = new JsonArray("body"), ["msg"] = message }) });
}
