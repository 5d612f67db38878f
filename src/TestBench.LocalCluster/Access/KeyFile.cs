using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Access;

/// <summary>
/// <c>&lt;data&gt;/keys.json</c>: each user's key and the admin key as <see cref="StoredKey"/>s, never in plain text,
/// readable by its owner only. A file in the earlier plain form (<c>{"alice": "sim…", "(admin)": "sim…"}</c>) is read
/// once and rewritten hashed.
/// </summary>
public static class KeyFile
{
    public const string Name = "keys.json";

    private const string LegacyAdminEntry = "(admin)";

    /// <summary>What a key file holds; the plain keys only when it was in the earlier plain form.</summary>
    public sealed record Contents(
        IReadOnlyDictionary<string, StoredKey> Users,
        StoredKey? Admin,
        IReadOnlyDictionary<string, string> PlainUserKeys,
        string? PlainAdminKey)
    {
        public static readonly Contents Empty = new(new Dictionary<string, StoredKey>(), null, new Dictionary<string, string>(), null);
    }

    /// <summary>Reads the file in <paramref name="dataDirectory"/>; <see cref="Contents.Empty"/> when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a key file; the message names the file and the field.</exception>
    public static Contents Read(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, Name);
        if (!File.Exists(file))
        {
            return Contents.Empty;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw Invalid(file, "$", "is not a JSON object");
            return root.ContainsKey("users") ? ReadHashed(file, root) : ReadPlain(file, root);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Replaces the file with the stored form of these keys.</summary>
    public static void Write(string dataDirectory, IReadOnlyDictionary<string, StoredKey> users, StoredKey admin)
    {
        var file = Path.Combine(dataDirectory, Name);
        var root = new JsonObject
        {
            ["users"] = new JsonObject(users.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)Node(pair.Value)))),
            ["admin"] = Node(admin),
        };
        var temporary = file + ".new";
        File.WriteAllText(temporary, root.ToJsonString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, file, overwrite: true);
    }

    private static JsonObject Node(StoredKey key) => new()
    {
        ["salt"] = Convert.ToBase64String(key.Salt),
        ["hmac_sha256"] = Convert.ToBase64String(key.Hash),
    };

    private static Contents ReadHashed(string file, JsonObject root)
    {
        var users = root["users"] as JsonObject ?? throw Invalid(file, "$.users", "is not an object");
        var stored = users.ToDictionary(pair => pair.Key, pair => Stored(file, $"$.users.{pair.Key}", pair.Value), StringComparer.Ordinal);
        var admin = root["admin"] is { } node ? Stored(file, "$.admin", node) : null;
        return new Contents(stored, admin, new Dictionary<string, string>(), null);
    }

    private static StoredKey Stored(string file, string path, JsonNode? node)
    {
        if (node is not JsonObject entry)
        {
            throw Invalid(file, path, "is not an object with 'salt' and 'hmac_sha256'");
        }

        return new StoredKey(Bytes(file, $"{path}.salt", entry["salt"], 8), Bytes(file, $"{path}.hmac_sha256", entry["hmac_sha256"], 32));
    }

    private static byte[] Bytes(string file, string path, JsonNode? node, int minimumLength)
    {
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : throw Invalid(file, path, "is not a base64 string");
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) && length >= minimumLength
            ? bytes[..length]
            : throw Invalid(file, path, $"is not base64 of at least {minimumLength} bytes");
    }

    private static Contents ReadPlain(string file, JsonObject root)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in root)
        {
            plain[name] = node is JsonValue value && value.TryGetValue<string>(out var key) && key.Length > 0
                ? key
                : throw Invalid(file, $"$.{name}", "is not a key");
        }

        var admin = plain.Remove(LegacyAdminEntry, out var adminKey) ? adminKey : null;
        return new Contents(
            plain.ToDictionary(pair => pair.Key, pair => StoredKey.Of(pair.Value), StringComparer.Ordinal),
            admin is null ? null : StoredKey.Of(admin),
            plain,
            admin);
    }

    private static InvalidDataException Invalid(string file, string path, string problem) => new($"{file}: {path} {problem}");
}
