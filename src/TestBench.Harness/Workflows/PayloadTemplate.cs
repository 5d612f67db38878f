using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Workflows;

/// <summary>
/// Fills in a payload from a workflow (<c>test_payload</c> or a test's <c>payload</c>) before it is sent:
/// <c>&lt;algo&gt;</c> becomes the exported algorithm name and, when a user is given, <c>.my</c> in
/// <c>data://.my/…</c> and <c>algo://.my/…</c> becomes that user. Strings are rewritten at any depth of
/// objects and arrays (the original tool looked only one level deep); property names are left alone.
/// </summary>
public static class PayloadTemplate
{
    /// <summary>The placeholder for the exported algorithm's name.</summary>
    public const string AlgoPlaceholder = "<algo>";

    private const string MyOwner = "://.my/";

    /// <summary>Returns a rendered copy of <paramref name="payload"/>; the input is not changed.</summary>
    /// <param name="payload">The payload as written in the workflow.</param>
    /// <param name="exportedName">The name <c>&lt;algo&gt;</c> stands for.</param>
    /// <param name="user">The cluster user <c>.my</c> stands for, or <see langword="null"/> to keep <c>.my</c>
    /// for the server to resolve.</param>
    public static JsonNode? Render(JsonElement payload, string exportedName, string? user = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exportedName);
        switch (payload.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in payload.EnumerateObject())
                {
                    obj[property.Name] = Render(property.Value, exportedName, user);
                }

                return obj;
            case JsonValueKind.Array:
                return new JsonArray(payload.EnumerateArray().Select(item => Render(item, exportedName, user)).ToArray());
            case JsonValueKind.String:
                return JsonValue.Create(RenderString(payload.GetString()!, exportedName, user));
            default:
                return JsonNode.Parse(payload.GetRawText());
        }
    }

    private static string RenderString(string text, string exportedName, string? user)
    {
        var rendered = text.Replace(AlgoPlaceholder, exportedName, StringComparison.Ordinal);
        return user is null ? rendered : rendered.Replace(MyOwner, $"://{user}/", StringComparison.Ordinal);
    }
}
