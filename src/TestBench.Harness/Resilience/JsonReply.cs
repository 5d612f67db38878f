using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Resilience;

/// <summary>
/// A JSON answer read field by field, each field checked: a missing field or one of the wrong type is refused with a
/// <see cref="TargetFaultException"/> naming the server, the request and the field (<c>field 'job.pub_url' is a number
/// where a string was expected</c>), never a bare <see cref="InvalidOperationException"/> from deep inside a reader.
/// </summary>
/// <param name="root">The answer, or the part of it this reply reads.</param>
/// <param name="endpoint">Who answered.</param>
/// <param name="sent">The request it answered.</param>
/// <param name="at">Where <paramref name="root"/> sits in the answer (<c>[2].</c> for an item of a list answer), for messages.</param>
public sealed class JsonReply(JsonNode? root, TargetEndpoint endpoint, SentRequest sent, string at = "")
{
    public JsonNode? Root => root;

    /// <summary>A string field (a dotted path: <c>job.pub_url</c>).</summary>
    public string Text(string field) => OptionalText(field) ?? throw Refuse($"field '{at}{field}' is missing");

    /// <summary>A string field, or <see langword="null"/> when it is absent or null.</summary>
    public string? OptionalText(string field) => Find(field) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => throw Refuse($"field '{at}{field}' is {KindOf(other)} where a string was expected"),
    };

    /// <summary>A field that is a string or a number (ids are either, depending on the platform's version), as text.</summary>
    public string Id(string field) => Find(field) switch
    {
        JsonValue value when value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number => value.ToString(),
        null => throw Refuse($"field '{at}{field}' is missing"),
        var other => throw Refuse($"field '{at}{field}' is {KindOf(other)} where an id (a string or a number) was expected"),
    };

    /// <summary>A true/false field, or <see langword="null"/> when it is absent.</summary>
    public bool? OptionalBool(string field) => Find(field) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        var other => throw Refuse($"field '{at}{field}' is {KindOf(other)} where true or false was expected"),
    };

    /// <summary>An array: the whole answer (<paramref name="field"/> <see langword="null"/>) or a field.</summary>
    public JsonArray Array(string? field = null) => (field is null ? root : Find(field)) switch
    {
        JsonArray array => array,
        var other => throw Refuse($"{Subject(field)} is {KindOf(other)} where a list was expected"),
    };

    /// <summary>An object: the whole answer (<paramref name="field"/> <see langword="null"/>) or a field.</summary>
    public JsonObject Map(string? field = null) => (field is null ? root : Find(field)) switch
    {
        JsonObject value => value,
        var other => throw Refuse($"{Subject(field)} is {KindOf(other)} where an object was expected"),
    };

    /// <summary>Each element of a list answer as a reply of its own, so its fields are checked the same way (<c>[2].name</c>).</summary>
    public IEnumerable<JsonReply> Items(string? field = null)
    {
        var array = Array(field);
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"{at}{field}[{i}]";
            yield return array[i] is JsonObject item ? new JsonReply(item, endpoint, sent, path + ".") : throw Refuse($"'{path}' is {KindOf(array[i])} where an object was expected");
        }
    }

    /// <summary>A refusal of this answer, for a problem a caller found in it.</summary>
    public TargetFaultException Refuse(string problem) => new(endpoint, sent.Request, FaultKind.BadReply, problem, sent.Attempts);

    /// <summary>What a message calls <paramref name="field"/>: <c>field '[2].ids'</c>, or the answer (or item) itself.</summary>
    private string Subject(string? field) => field is not null ? $"field '{at}{field}'" : at.Length == 0 ? "the answer" : $"'{at.TrimEnd('.')}'";

    private JsonNode? Find(string path)
    {
        var node = root;
        foreach (var name in path.Split('.'))
        {
            if (node is null)
            {
                return null;
            }

            node = node is JsonObject parent ? parent[name] : throw Refuse($"'{at}{path}' cannot be read: the answer holds {KindOf(node)} where an object was expected");
        }

        return node;
    }

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "null",
        },
    };
}
