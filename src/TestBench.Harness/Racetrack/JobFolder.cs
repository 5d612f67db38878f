using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// A template folder that already is a Racetrack job: <c>job.yaml</c> at its root. It is deployed as it is, under the
/// run's job name and version (so runs do not collide), and called with the test payload as <c>perform</c>'s keyword
/// arguments.
/// </summary>
public static class JobFolder
{
    public const string ManifestFile = "job.yaml";

    public static bool IsJob(string templateDirectory) => File.Exists(Path.Combine(templateDirectory, ManifestFile));

    /// <summary>Reads <c>job.yaml</c> as the manifest object Lifecycle's deploy takes (unquoted numbers and booleans typed).</summary>
    /// <exception cref="InvalidDataException">It is not YAML, or not a mapping; the message names the file and where.</exception>
    public static JsonObject ReadManifest(string templateDirectory)
    {
        var path = Path.Combine(templateDirectory, ManifestFile);
        object? document;
        try
        {
            using var reader = File.OpenText(path);
            document = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        return ToJson(document) as JsonObject ?? throw new InvalidDataException($"{path} must be a mapping of manifest fields (name, jobtype, jobtype_extra…)");
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> mapping => new JsonObject(mapping.Select(pair => KeyValuePair.Create(Convert.ToString(pair.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", ToJson(pair.Value)))),
        IEnumerable<object?> sequence when value is not string => new JsonArray([.. sequence.Select(ToJson)]),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
