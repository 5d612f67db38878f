using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// An Algorithmia-style algorithm template (<c>src/&lt;Name&gt;.py</c> with <c>apply(input)</c>, <c>requirements.txt</c>)
/// packaged as a Racetrack python3 job: its files, a generated entrypoint whose <c>perform(input)</c> calls
/// <c>apply(input)</c> (after <c>load()</c>, once, when the algorithm has one), and the manifest. A job is called with
/// <c>{"input": payload}</c>. When the folder carries the <c>Algorithmia</c> client package, the entrypoint switches it to
/// its Racetrack mode: <c>data://</c> from <see cref="DataFolder"/>, <c>algo://</c> through <c>$PUB_URL</c> with the job's
/// own identity, the <c>$AUTH_TOKEN</c> Racetrack gives every job (its family's token), never the user's.
/// </summary>
public sealed record JobPackage(JsonObject Manifest, byte[] BuildContext)
{
    /// <summary>The generated entrypoint's file.</summary>
    public const string EntrypointFile = "testbench_entrypoint.py";

    /// <summary>The folder of the job's bundled data files: <c>&lt;collection&gt;/&lt;file&gt;</c>.</summary>
    public const string DataFolder = Export.AlgorithmBundler.DataFolder;

    private const string ExampleFile = "testbench_input_example.json";

    /// <summary>A Racetrack job name for a template name: lower case, dashes for underscores (Racetrack allows no underscores).</summary>
    public static string JobNameOf(string templateName, string suffix) => JobExporter.RacetrackName($"{templateName}-{suffix}");

    /// <summary>
    /// Packages <paramref name="templateDirectory"/> (holding <c>src/&lt;templateName&gt;.py</c>) as job
    /// <paramref name="jobName"/> at <paramref name="version"/>; <paramref name="inputExample"/> (the workflow's
    /// <c>test_payload</c>, or null) becomes the job's <c>docs_input_example</c> input.
    /// </summary>
    public static JobPackage FromTemplate(string templateDirectory, string templateName, string jobName, string version, JsonNode? inputExample)
    {
        ArgumentException.ThrowIfNullOrEmpty(templateDirectory);
        var main = Path.Combine(templateDirectory, "src", templateName + ".py");
        if (!File.Exists(main))
        {
            throw new FileNotFoundException($"the template has no src/{templateName}.py", main);
        }

        var hasRequirements = File.Exists(Path.Combine(templateDirectory, "requirements.txt"));
        var manifest = new JsonObject
        {
            ["name"] = jobName,
            ["owner_email"] = "testbench@localhost",
            ["jobtype"] = "python3:latest",
            // Racetrack's schema asks for a git remote; a deploy with a build context does not clone it.
            ["git"] = new JsonObject { ["remote"] = $"https://testbench.invalid/{jobName}.git" },
            ["version"] = version,
            ["jobtype_extra"] = new JsonObject
            {
                ["entrypoint_path"] = EntrypointFile,
                ["entrypoint_class"] = ClassName(templateName),
                ["requirements_path"] = hasRequirements ? "requirements.txt" : null,
            },
        };
        if (!hasRequirements)
        {
            manifest["jobtype_extra"]!.AsObject().Remove("requirements_path");
        }

        return new JobPackage(manifest, TarGz(templateDirectory, new Dictionary<string, string>
        {
            [EntrypointFile] = Entrypoint(templateName),
            [ExampleFile] = new JsonObject { ["input"] = inputExample?.DeepClone() }.ToJsonString(),
        }));
    }

    /// <summary>
    /// A folder that is a Racetrack job already (<see cref="JobFolder"/>), packaged as it is with its manifest renamed to
    /// <paramref name="jobName"/> at <paramref name="version"/>.
    /// </summary>
    public static JobPackage FromJobFolder(string jobDirectory, JsonObject manifest, string jobName, string version)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var renamed = (JsonObject)manifest.DeepClone();
        renamed["name"] = jobName;
        renamed["version"] = version;
        return new JobPackage(renamed, TarGz(jobDirectory, extra: new Dictionary<string, string>()));
    }

    private static byte[] TarGz(string directory, IReadOnlyDictionary<string, string> extra)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Split('/').Any(part => part is "__pycache__" || part.StartsWith('.')))
                {
                    continue;
                }

                tar.WriteEntry(file, relative);
            }

            foreach (var (name, content) in extra)
            {
                Add(tar, name, content);
            }
        }

        return buffer.ToArray();
    }

    private static string ClassName(string templateName) =>
        string.Concat(templateName.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Job";

    private static string Entrypoint(string templateName) => $$""""
        """Generated by TestBench: the algorithm src/{{templateName}}.py served as a Racetrack job; perform(input) calls apply(input)."""
        import importlib
        import json
        import os
        import sys

        _HERE = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, _HERE)
        if os.path.isdir(os.path.join(_HERE, "Algorithmia")):
            import Algorithmia
            Algorithmia.use_racetrack(os.path.join(_HERE, "{{DataFolder}}"), os.environ.get("PUB_URL"), os.environ.get("AUTH_TOKEN"))
        _algorithm = importlib.import_module("src.{{templateName}}")


        class {{ClassName(templateName)}}:
            def __init__(self):
                if callable(getattr(_algorithm, "load", None)):
                    _algorithm.load()

            def perform(self, input=None):
                """Calls the algorithm's apply(input)."""
                return _algorithm.apply(input)

            def docs_input_example(self):
                with open(os.path.join(_HERE, "{{ExampleFile}}"), encoding="utf-8") as example:
                    return json.load(example)

        """";

    private static void Add(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}
