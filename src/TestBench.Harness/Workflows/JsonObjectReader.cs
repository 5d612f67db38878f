using System.Text.Json;

namespace TestBench.Harness.Workflows;

/// <summary>
/// Reads the fields of one JSON object, reporting wrong types, missing required fields, duplicate and unknown
/// fields to a <see cref="WorkflowErrorList"/> under the field's JSON path instead of throwing.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);
    private readonly WorkflowErrorList errors;

    private JsonObjectReader(string path, WorkflowErrorList errors)
    {
        Path = path;
        this.errors = errors;
    }

    /// <summary>The JSON path of the object itself.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens <paramref name="element"/> as an object with the given known fields; returns <see langword="null"/>
    /// (after reporting) when it is not an object. Unknown fields are errors: a misspelt optional field would
    /// otherwise be dropped without a word (see docs/writing-workflows.md).
    /// </summary>
    public static JsonObjectReader? Open(JsonElement element, string path, WorkflowErrorList errors, IReadOnlyList<string> knownFields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be an object, but is {Describe(element.ValueKind)}");
            return null;
        }

        var reader = new JsonObjectReader(path, errors);
        foreach (var property in element.EnumerateObject())
        {
            var fieldPath = ChildPath(path, property.Name);
            if (!knownFields.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(fieldPath, UnknownFieldMessage(property.Name, knownFields));
            }
            else if (!reader.fields.TryAdd(property.Name, property.Value))
            {
                errors.Add(fieldPath, $"field '{property.Name}' appears more than once");
            }
        }

        return reader;
    }

    public string PathOf(string field) => ChildPath(Path, field);

    public bool Has(string field) => fields.ContainsKey(field);

    /// <summary>The raw value of a field; reports a missing required field.</summary>
    public JsonElement? Value(string field, bool required)
    {
        if (fields.TryGetValue(field, out var value))
        {
            return value;
        }

        if (required)
        {
            errors.Add(Path, $"required field '{field}' is missing");
        }

        return null;
    }

    /// <summary>A string field; reports a missing required field, a wrong type or an empty string.</summary>
    public string? String(string field, bool required)
    {
        if (Value(field, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(PathOf(field), $"must be a string, but is {Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(PathOf(field), "must not be empty");
            return null;
        }

        return text;
    }

    /// <summary>A whole-number field; reports a wrong type or a fraction.</summary>
    public long? Integer(string field)
    {
        if (Value(field, required: false) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            errors.Add(PathOf(field), $"must be a whole number, but is {Describe(value)}");
            return null;
        }

        return number;
    }

    /// <summary>A number field (fractions allowed); reports a wrong type.</summary>
    public double? Number(string field)
    {
        if (Value(field, required: false) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(PathOf(field), $"must be a number, but is {Describe(value)}");
            return null;
        }

        return number;
    }

    /// <summary>A boolean field; reports a wrong type.</summary>
    public bool? Boolean(string field)
    {
        if (Value(field, required: false) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(PathOf(field), $"must be true or false, but is {Describe(value.ValueKind)}");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>An array field's items; reports a missing required field or a wrong type.</summary>
    public IReadOnlyList<JsonElement>? Array(string field, bool required)
    {
        if (Value(field, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(PathOf(field), $"must be an array, but is {Describe(value.ValueKind)}");
            return null;
        }

        return value.EnumerateArray().ToArray();
    }

    /// <summary>The JSON path of a property: dot notation for plain names, bracket notation otherwise.</summary>
    public static string ChildPath(string parent, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$')
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string ItemPath(string parent, int index) => $"{parent}[{index}]";

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? $"the number {value.GetRawText()}" : Describe(value.ValueKind);

    private static string UnknownFieldMessage(string name, IReadOnlyList<string> knownFields)
    {
        var suggestion = knownFields
            .Select(known => (known, distance: EditDistance(name.ToLowerInvariant(), known)))
            .Where(candidate => candidate.distance <= Math.Max(2, candidate.known.Length / 3))
            .OrderBy(candidate => candidate.distance)
            .Select(candidate => candidate.known)
            .FirstOrDefault();
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        return $"unknown field '{name}' (known fields: {string.Join(", ", knownFields)}){hint}";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
