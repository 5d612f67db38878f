using System.Text.Json;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Api;

/// <summary>Writes a <see cref="CallResult"/> in the platform's response shape.</summary>
internal static class CallResponseWriter
{
    /// <summary>
    /// <c>{"result":…,"metadata":{"content_type","duration","stdout"?}}</c> or
    /// <c>{"error":{"message","stacktrace"?,"error_type"},"metadata":{"duration","stdout"?}}</c>. Algorithm
    /// errors answer 200 as the platform does; a timeout is the platform's failure and answers 504.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, CallResult result, bool includeStdout, string? requestId, CancellationToken cancellationToken)
    {
        response.StatusCode = result.Error?.ErrorType == "TimeoutError" ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer, result, includeStdout, requestId);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same body as bytes: what an async call's result notification carries.</summary>
    public static byte[] Body(CallResult result, bool includeStdout, string? requestId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, result, includeStdout, requestId);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, CallResult result, bool includeStdout, string? requestId)
    {
        writer.WriteStartObject();
        if (result.Error is { } error)
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", error.Message);
            if (error.Stacktrace is not null)
            {
                writer.WriteString("stacktrace", error.Stacktrace);
            }

            writer.WriteString("error_type", error.ErrorType);
            writer.WriteEndObject();
        }
        else
        {
            writer.WritePropertyName("result");
            result.Result!.Value.WriteTo(writer);
        }

        writer.WriteStartObject("metadata");
        if (result.ContentType is not null)
        {
            writer.WriteString("content_type", result.ContentType);
        }

        writer.WriteNumber("duration", result.DurationSeconds);
        if (includeStdout)
        {
            writer.WriteString("stdout", result.Stdout);
        }

        if (requestId is not null)
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
        if (requestId is not null)
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
    }

    /// <summary>A failure of the platform itself: <c>{"error":{"message","error_type"}}</c> with the given status.</summary>
    public static IResult SystemError(int status, string message) =>
        Results.Json(new { error = new { message, error_type = "SystemError" } }, statusCode: status);
}
