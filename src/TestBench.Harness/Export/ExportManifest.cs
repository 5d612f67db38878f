using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestBench.Harness.Export;

/// <summary>
/// What TestBench exported for one workflow on a destination, across runs: <c>data://&lt;user&gt;/testbench_exports/&lt;workflow&gt;.json</c>
/// in the destination user's own data, so clean-up finds every export of the workflow — from this run, an earlier
/// one, or one that crashed — by reading it instead of guessing names. An export is written down before its
/// algorithm is created and marked complete when it is done.
/// </summary>
internal sealed class ExportManifest(ExportTarget target, string owner, string workflow)
{
    /// <summary>The data collection holding the manifests.</summary>
    public const string Collection = "testbench_exports";

    private string Uri => $"data://{owner}/{Collection}/{workflow}.json";

    /// <summary>The exports written down so far; none when there is no manifest.</summary>
    /// <exception cref="InvalidDataException">The manifest is not what TestBench writes; the message names it.</exception>
    public async Task<IReadOnlyList<ManifestEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        if (await target.Destination.Data.FileSizeAsync(Uri, cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        using var download = await target.Destination.Data.DownloadAsync(Uri, cancellationToken).ConfigureAwait(false);
        var text = await download.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, ManifestJson.Default.ListManifestEntry)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Uri} on the destination is not a TestBench export manifest: {e.Message}", e);
        }
    }

    /// <summary>Writes down (or updates) the export of <paramref name="entry"/>'s algorithm.</summary>
    public async Task RecordAsync(ManifestEntry entry, CancellationToken cancellationToken)
    {
        var entries = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Where(e => e.Algorithm != entry.Algorithm).Append(entry).ToList();
        await WriteAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the exports named (after they were deleted); the file goes when none is left.</summary>
    public async Task ForgetAsync(IReadOnlyCollection<string> algorithms, CancellationToken cancellationToken)
    {
        var left = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Where(e => !algorithms.Contains(e.Algorithm)).ToList();
        if (left.Count > 0)
        {
            await WriteAsync(left, cancellationToken).ConfigureAwait(false);
            return;
        }

        await target.Destination.Data.DeleteFileAsync(Uri, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<ManifestEntry> entries, CancellationToken cancellationToken)
    {
        await target.Destination.Data.CreateFolderAsync($"data://{owner}", Collection, cancellationToken).ConfigureAwait(false);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entries, ManifestJson.Default.ListManifestEntry));
        await target.Destination.Data.UploadAsync(Uri, bytes, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>One export in an <see cref="ExportManifest"/>.</summary>
/// <param name="Template">The algorithm's name in the workflow.</param>
/// <param name="Algorithm">Its exported name on the destination (also the name of its data collection).</param>
/// <param name="StartedAt">When the export began.</param>
/// <param name="Complete">Whether it got through every step.</param>
internal sealed record ManifestEntry(string Template, string Algorithm, DateTimeOffset StartedAt, bool Complete);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(List<ManifestEntry>))]
internal sealed partial class ManifestJson : JsonSerializerContext;
