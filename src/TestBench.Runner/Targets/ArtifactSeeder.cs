using TestBench.Harness.Algorithmia;

namespace TestBench.Runner.Targets;

/// <summary>Uploads the repository's <c>artifacts/</c> to <c>data://&lt;user&gt;/artifacts/</c> of the embedded source cluster.</summary>
internal static class ArtifactSeeder
{
    public static async Task SeedAsync(AlgorithmiaClient source, string user, string artifactsDirectory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(artifactsDirectory))
        {
            return;
        }

        await source.Data.CreateFolderAsync($"data://{user}", "artifacts", cancellationToken).ConfigureAwait(false);
        foreach (var file in Directory.EnumerateFiles(artifactsDirectory).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            await using var stream = File.OpenRead(file);
            await source.Data.UploadAsync($"data://{user}/artifacts/{Path.GetFileName(file)}", stream, stream.Length, cancellationToken).ConfigureAwait(false);
        }
    }
}
