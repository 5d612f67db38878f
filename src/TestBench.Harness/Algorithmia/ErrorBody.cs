using System.Text.Json;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// Reads the error bodies real servers send: <c>{"error":{"code","message"}}</c>, <c>{"error":"text"}</c>,
/// top-level <c>{"code","message"}</c>, or plain text.
/// </summary>
internal static class ErrorBody
{
    /// <param name="body">The body, or its head (<see cref="ReplyContent.ReadHeadAsync"/>).</param>
    /// <param name="length">The whole body's length, when known.</param>
    public static (int? Code, string Message) Parse(string body, long? length = null)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var wrapped) ? wrapped : root;
            if (error.ValueKind == JsonValueKind.String)
            {
                return (null, error.GetString()!);
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                int? code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
                var message = error.TryGetProperty("message", out var m) ? m.ToString() : body;
                return (code, message);
            }
        }
        catch (JsonException)
        {
        }

        return (null, ReplyContent.Describe(body, length));
    }
}
