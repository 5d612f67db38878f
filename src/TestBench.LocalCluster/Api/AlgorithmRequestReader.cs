using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Api;

/// <summary>Turns an HTTP request body into an <see cref="AlgorithmInput"/> by its Content-Type.</summary>
internal static class AlgorithmRequestReader
{
    /// <summary>The largest body a call may carry; bigger inputs belong in the data API.</summary>
    public const long MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>Reads the input, or returns why it cannot (for a 400/413 answer).</summary>
    public static async Task<(AlgorithmInput? Input, string? Problem, int Status)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"the request body is {request.ContentLength} bytes; calls accept at most {MaxBodyBytes} bytes (10 MiB), send larger inputs through the data API", StatusCodes.Status413PayloadTooLarge);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType is null)
        {
            return (null, "missing or malformed Content-Type; use application/json, text/plain or application/octet-stream", StatusCodes.Status400BadRequest);
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message, StatusCodes.Status413PayloadTooLarge);
        }

        switch (contentType.MediaType.ToLowerInvariant())
        {
            case "application/json":
                try
                {
                    using var document = JsonDocument.Parse(body);
                    return (AlgorithmInput.FromJson(document.RootElement), null, 200);
                }
                catch (JsonException e)
                {
                    return (null, $"the body is not valid JSON: {e.Message}", StatusCodes.Status400BadRequest);
                }

            case "text/plain" or "application/text":
                try
                {
                    return (AlgorithmInput.FromText(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body)), null, 200);
                }
                catch (DecoderFallbackException)
                {
                    return (null, "the text body is not valid UTF-8", StatusCodes.Status400BadRequest);
                }

            case "application/octet-stream":
                return (AlgorithmInput.FromBytes(body), null, 200);
            default:
                return (null, $"unsupported Content-Type '{contentType.MediaType}'; use application/json, text/plain or application/octet-stream", StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // A declared length (already checked against the cap) is read straight into an array of that size.
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InvalidDataException($"the request body exceeds {MaxBodyBytes} bytes (10 MiB); send larger inputs through the data API");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
