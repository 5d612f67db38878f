using System.Text.Json.Serialization;

namespace TestBench.Harness.Algorithmia.Replies;

/// <summary>
/// Source-generated (de)serialization of the platform's JSON: snake_case names, a missing constructor parameter
/// or a null where the record says non-null is an error rather than a default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DataListing))]
[JsonSerializable(typeof(AlgorithmReply))]
[JsonSerializable(typeof(BuildPage))]
[JsonSerializable(typeof(BuildLog))]
[JsonSerializable(typeof(IReadOnlyList<EnvironmentReply>))]
[JsonSerializable(typeof(SyncReply))]
[JsonSerializable(typeof(CreateAlgorithmRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(CreateFolderRequest))]
internal sealed partial class AlgorithmiaJson : JsonSerializerContext;
