using System.IO.Compression;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// An Algorithmia-style algorithm folder (<c>src/&lt;module&gt;.py</c> with <c>apply(input)</c>, <c>requirements.txt</c>)
/// packaged as a Wallaroo orchestration ZIP: its files and a generated root <c>main.py</c> that calls
/// <c>apply(task_args()["input"])</c> (after <c>load()</c>, when the algorithm has one) and prints the result as JSON on
/// one <see cref="ResultMarker"/> line. When the folder carries the <c>Algorithmia</c> client package, its Racetrack
/// mode serves <c>data://</c> from the bundled <c>testbench_data/</c> (no data API inside a task).
/// </summary>
public static class OrchestrationPackage
{
    /// <summary>The start of the log line that carries a run's result.</summary>
    public const string ResultMarker = "TESTBENCH_RESULT ";

    /// <summary>The line the generated <c>main.py</c> prints first (with the task's clock, see <see cref="CodePhases"/>):
    /// its log timestamp is when the task's code started.</summary>
    public const string StartedMarker = "TESTBENCH_STARTED";

    /// <summary>An orchestration's entrypoint.</summary>
    public const string EntrypointFile = "main.py";

    /// <summary>The ZIP of <paramref name="folder"/> with the generated <c>main.py</c> for module <c>src.<paramref name="module"/></c>.</summary>
    public static byte[] FromTemplate(string folder, string module)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!File.Exists(Path.Combine(folder, "src", module + ".py")))
        {
            throw new FileNotFoundException($"the template has no src/{module}.py", Path.Combine(folder, "src", module + ".py"));
        }

        if (IsOrchestration(folder))
        {
            throw new InvalidDataException("the template has a main.py of its own; the generated entrypoint would replace it");
        }

        return Zip(folder, Main(module));
    }

    /// <summary>Whether a template folder is an orchestration already: a <c>main.py</c> at its root.</summary>
    public static bool IsOrchestration(string templateDirectory) => File.Exists(Path.Combine(templateDirectory, EntrypointFile));

    /// <summary>The ZIP of a folder that is an orchestration already (see <see cref="IsOrchestration"/>), as it is.</summary>
    public static byte[] FromOrchestrationFolder(string folder) =>
        IsOrchestration(folder) ? Zip(folder, generatedMain: null) : throw new FileNotFoundException("the orchestration folder has no main.py at its root", Path.Combine(folder, EntrypointFile));

    private static byte[] Zip(string folder, string? generatedMain)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
                if (!relative.Split('/').Any(part => part is "__pycache__" || part.StartsWith('.')))
                {
                    zip.CreateEntryFromFile(file, relative, CompressionLevel.Fastest);
                }
            }

            if (generatedMain is not null)
            {
                using var main = new StreamWriter(zip.CreateEntry(EntrypointFile).Open());
                main.Write(generatedMain);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>When a run's code started: the timestamp of its first CRI log line; null when it has none that parses.</summary>
    public static DateTimeOffset? StartOf(IReadOnlyList<string> logLines)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        if (logLines.Count == 0 || logLines[0].Split(' ', 2)[0] is not { Length: >= 20 } stamp || !stamp.EndsWith('Z'))
        {
            return null;
        }

        // RFC 3339 with nanoseconds: .NET parses at most 7 fractional digits.
        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        var trimmed = dot < 0 ? stamp : stamp[..Math.Min(stamp.Length - 1, dot + 8)] + "Z";
        return DateTimeOffset.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var start) ? start : null;
    }

    /// <summary>The result a run printed: the JSON after the last <see cref="ResultMarker"/> in its CRI log lines.</summary>
    /// <returns><see langword="null"/> when no line carries it.</returns>
    public static JsonNode? ResultOf(IReadOnlyList<string> logLines, out bool found)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        for (var i = logLines.Count - 1; i >= 0; i--)
        {
            var at = logLines[i].IndexOf(" F " + ResultMarker, StringComparison.Ordinal);
            if (at >= 0)
            {
                found = true;
                return JsonNode.Parse(logLines[i][(at + 3 + ResultMarker.Length)..]);
            }
        }

        found = false;
        return null;
    }

    private static string Main(string module) => $$""""
        """Generated by TestBench: the algorithm src/{{module}}.py run as a Wallaroo task; prints apply(input) on one line."""
        import sys
        import time as _clock

        print("{{StartedMarker}} %.6f" % _clock.time(), flush=True)
        import importlib
        import json
        import os

        import wallaroo

        _HERE = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, _HERE)
        if os.path.isdir(os.path.join(_HERE, "Algorithmia")):
            import Algorithmia
            Algorithmia.use_racetrack(os.path.join(_HERE, "{{Export.AlgorithmBundler.DataFolder}}"), None)
        _algorithm = importlib.import_module("src.{{module}}")
        if callable(getattr(_algorithm, "load", None)):
            _algorithm.load()
        print("{{CodePhases.LoadedMarker}} %.6f" % _clock.time(), flush=True)
        _result = json.dumps(_algorithm.apply(wallaroo.task_args().get("input")))
        print("{{CodePhases.AppliedMarker}} %.6f" % _clock.time(), flush=True)
        print("{{ResultMarker}}" + _result, flush=True)

        """";
}
