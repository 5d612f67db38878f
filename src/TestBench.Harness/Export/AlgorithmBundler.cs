using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Fills the folder an algorithm is shipped in to a platform without an Algorithmia API (a Racetrack job, a Wallaroo
/// orchestration): its rendered template with the <c>Algorithmia</c> client package vendored (whose bridge answers
/// <c>data://</c> from the bundle), or a template folder copied as it is; and its data files from the source cluster
/// under <see cref="DataFolder"/><c>/&lt;exported name&gt;/</c>, where <c>data://.my/&lt;algo&gt;/&lt;file&gt;</c> finds them.
/// </summary>
/// <param name="source">The source cluster: templates' <c>code_path</c> and data files.</param>
/// <param name="layout">Where templates are.</param>
/// <param name="clientPackage">The folder of the LangPack's <c>Algorithmia</c> package.</param>
/// <param name="time">Times the data copy.</param>
internal sealed partial class AlgorithmBundler(AlgorithmiaClient source, RepositoryLayout layout, string clientPackage, TimeProvider time)
{
    /// <summary>The folder of bundled data files: <c>&lt;collection&gt;/&lt;file&gt;</c>.</summary>
    public const string DataFolder = "testbench_data";

    /// <summary>Writes the rendered template (<c>src/</c>, <c>requirements.txt</c>) and the vendored client into <paramref name="folder"/>.</summary>
    public async Task RenderAsync(AlgorithmSpec algorithm, SourceTemplate template, string folder, CancellationToken cancellationToken)
    {
        await new SourcePackager(source, layout).PackageAsync(algorithm, template, folder, cancellationToken).ConfigureAwait(false);
        VendorClient(folder);
    }

    /// <summary>Copies a template folder that is a platform's own package already (a job, an orchestration) as it is.</summary>
    public static void CopyAsItIs(string templateFolder, string folder)
    {
        foreach (var file in Directory.EnumerateFiles(templateFolder, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(templateFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>Downloads the algorithm's data files (streamed) into the bundle; the copy's duration becomes a measure.</summary>
    public async Task BundleDataAsync(AlgorithmSpec algorithm, string folder, string exportedName, List<ExportMeasure> measures, ILogger logger, CancellationToken cancellationToken)
    {
        if (algorithm.DataFiles.Count == 0)
        {
            return;
        }

        await ExportStep.TimedAsync(time, measures, ExportMeasure.DataCopy, async () =>
        {
            var collection = Path.Combine(folder, DataFolder, exportedName);
            Directory.CreateDirectory(collection);
            long bytes = 0;
            foreach (var uri in algorithm.DataFiles)
            {
                using var download = await source.Data.DownloadAsync(uri, cancellationToken).ConfigureAwait(false);
                await using var stream = await download.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var path = Path.Combine(collection, DataUri.FileName(uri));
                await using (var file = File.Create(path))
                {
                    await stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                var length = new FileInfo(path).Length;
                bytes += length;
                LogBundled(logger, uri, length);
            }

            return bytes;
        }).ConfigureAwait(false);
    }

    /// <summary>The package carries the client; a requirement on the <c>algorithmia</c> distribution is dropped (it would
    /// install the platform's client over it, and has no index to come from offline).</summary>
    private void VendorClient(string folder)
    {
        if (!Directory.Exists(clientPackage))
        {
            throw new DirectoryNotFoundException($"the Algorithmia client package to vendor is not at {clientPackage}");
        }

        var vendored = Path.Combine(folder, "Algorithmia");
        Directory.CreateDirectory(vendored);
        foreach (var file in Directory.EnumerateFiles(clientPackage, "*.py"))
        {
            File.Copy(file, Path.Combine(vendored, Path.GetFileName(file)));
        }

        var requirements = Path.Combine(folder, "requirements.txt");
        if (File.Exists(requirements))
        {
            File.WriteAllLines(requirements, File.ReadAllLines(requirements).Where(line => !NamesAlgorithmiaClient(line)));
        }
    }

    /// <summary>Whether a requirements line asks for the <c>algorithmia</c> distribution (names compare as pip does: case and
    /// <c>-_.</c> alike).</summary>
    private static bool NamesAlgorithmiaClient(string line)
    {
        var requirement = line.Split('#', 2)[0].Trim();
        var length = 0;
        while (length < requirement.Length && (char.IsAsciiLetterOrDigit(requirement[length]) || requirement[length] is '-' or '_' or '.'))
        {
            length++;
        }

        return string.Equals(requirement[..length].Replace('_', '-').Replace('.', '-'), "algorithmia", StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundled {Source}: {Bytes} bytes")]
    private static partial void LogBundled(ILogger logger, string source, long bytes);
}
