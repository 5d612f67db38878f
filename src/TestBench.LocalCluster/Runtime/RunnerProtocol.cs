using System.Text.Json;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The runner's side of the LangServer pipe protocol (spec: langserver-pipe.md): requests are JSON lines on stdin,
/// answers JSON lines on the output FIFO; stdout carries what the algorithm prints, the load handshake, and an
/// end-of-output marker after a call that printed.
/// </summary>
internal static class RunnerProtocol
{
    /// <summary>Printed once the runner has loaded the algorithm.</summary>
    public const string Handshake = "PIPE_INIT_COMPLETE";

    /// <summary>Printed on stdout after the output of a call whose answer says it printed.</summary>
    public const string CallEnd = "\u001ePIPE_CALL_END";

    /// <summary>How an answer starts when its call printed (its output ends with <see cref="CallEnd"/>).</summary>
    public const string PrintedPrefix = "{\"printed\": true";

    /// <summary>
    /// The answer that stands for one cut at the result limit: an error naming the size and the limit, which keeps the
    /// cut answer's "printed" flag so that the call still waits for its output.
    /// </summary>
    public static string TooLargeAnswer(string cutLine, string label, long bytes, int limitBytes)
    {
        var message = $"The result of {label} is {Size(bytes)}; this cluster answers at most {Size(limitBytes)} "
            + "(cluster option --max-result-mb). Return large results through the data API instead.";
        var error = new System.Text.Json.Nodes.JsonObject { ["message"] = message, ["error_type"] = "ResultTooLarge" };
        var answer = new System.Text.Json.Nodes.JsonObject { ["error"] = error };
        var json = answer.ToJsonString();
        return cutLine.StartsWith(PrintedPrefix, StringComparison.Ordinal) ? PrintedPrefix + ", " + json[1..] : json;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    /// <summary>The call's result from its answer line: <c>{"result", "metadata": {"content_type"}}</c> or
    /// <c>{"error": {"message", "stacktrace", "error_type"}}</c>; anything else is a <c>SystemError</c> quoting it.</summary>
    /// <param name="line">The answer line from the FIFO.</param>
    /// <param name="printed">What the call printed.</param>
    /// <param name="seconds">How long the call took.</param>
    public static CallResult ParseAnswer(string line, string printed, double seconds)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("result", out var result)
                && root.TryGetProperty("metadata", out var metadata)
                && metadata.TryGetProperty("content_type", out var contentType))
            {
                return new CallResult { Result = result.Clone(), ContentType = contentType.GetString(), DurationSeconds = seconds, Stdout = printed };
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var message = error.TryGetProperty("message", out var m) ? m.ToString() : "(no message)";
                var stacktrace = error.TryGetProperty("stacktrace", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                var type = error.TryGetProperty("error_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "AlgorithmError";
                return new CallResult { Error = new AlgorithmError(message, stacktrace, type), DurationSeconds = seconds, Stdout = printed };
            }
        }
        catch (JsonException)
        {
        }

        var shown = line.Length > 200 ? line[..200] + "…" : line;
        return new CallResult { Error = new AlgorithmError($"The runner answered with neither a result nor an error: {shown}", null, "SystemError"), DurationSeconds = seconds, Stdout = printed };
    }
}
