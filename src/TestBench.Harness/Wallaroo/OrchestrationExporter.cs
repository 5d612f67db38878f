using Microsoft.Extensions.Logging;
using TestBench.Harness.Export;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// Exports one workflow algorithm as a Wallaroo orchestration, step by step: package (the rendered template, its data
/// files from the source cluster and the client package, with a generated <c>main.py</c> — or, for a template folder
/// that is an orchestration already, the folder as it is, its data bundled beside it), upload, wait until packaging
/// made it <c>ready</c>, and run it once with the test payload. A failing step throws <see cref="ExportException"/>
/// naming it; each step's time and the first run's become the export's <see cref="ExportMeasure"/>s.
/// </summary>
internal sealed partial class OrchestrationExporter(WallarooTarget target, TimeProvider time)
{
    public async Task<ExportedAlgorithm> ExportAsync(Workflow workflow, AlgorithmSpec algorithm, ExportNames names, ILogger logger, CancellationToken cancellationToken)
    {
        var environment = algorithm.Environment.Describe();
        if (environment.Contains("Python 2", StringComparison.OrdinalIgnoreCase) || algorithm.Environment.Language is "python2")
        {
            throw new PrerequisiteMissingException($"{algorithm.Name} needs '{environment}'; a Wallaroo orchestration runs Python 3");
        }

        var template = Path.Combine(target.Layout.AlgorithmsDirectory, algorithm.Name);
        if (algorithm.CodePath is null && Racetrack.JobFolder.IsJob(template))
        {
            throw new PrerequisiteMissingException($"algorithms/{algorithm.Name} is a Racetrack job (job.yaml), not an Algorithmia-style algorithm or an orchestration: it exports to Racetrack only");
        }

        var exportedName = names.ExportedName(algorithm.Name);
        var measures = new List<ExportMeasure>();
        var workspace = target.Wallaroo.Connection.WorkspaceId;
        if (workflow.RunOnly && await ReadyOrchestrationAsync(exportedName, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            LogReused(logger, exportedName, earlier.Id);
            return Exported(algorithm, exportedName, earlier.Id, createdByThisRun: false, measures);
        }

        var asItIs = algorithm.CodePath is null && OrchestrationPackage.IsOrchestration(template);
        var zip = await Step(workflow, algorithm, "Orchestration packaging", () => PackageAsync(algorithm, names, exportedName, asItIs ? template : null, measures, logger, cancellationToken)).ConfigureAwait(false);
        var id = await Timed(measures, ExportMeasure.Upload, () => Step(workflow, algorithm, "Upload", () =>
            target.Wallaroo.UploadAsync(zip, exportedName, workspace, cancellationToken))).ConfigureAwait(false);
        await Timed(measures, ExportMeasure.Packaging, () => Step(workflow, algorithm, "Packaging", async () =>
        {
            await target.Wallaroo.WaitUntilReadyAsync(id, target.PackagingTimeout, time, logger, cancellationToken).ConfigureAwait(false);
            return true;
        })).ConfigureAwait(false);
        var payload = PayloadTemplate.Render(algorithm.TestPayload, exportedName);
        var run = await Step(workflow, algorithm, "Test payload run", async () =>
        {
            var outcome = await target.Runner.RunOnceAsync(id, $"{exportedName}-smoke", payload, timeoutSeconds: 300, cancellationToken).ConfigureAwait(false);
            var answer = outcome.ToCallResponse();
            return answer.Succeeded ? outcome : throw new InvalidOperationException($"running it with its test payload failed: {answer.ErrorMessage}");
        }).ConfigureAwait(false);
        measures.Add(ExportMeasure.Milliseconds(ExportMeasure.TaskStart, run.StartSeconds));
        measures.Add(ExportMeasure.Milliseconds(ExportMeasure.SmokeRun, run.TotalSeconds));
        LogExported(logger, algorithm.Name, exportedName, id);
        return Exported(algorithm, exportedName, id, createdByThisRun: true, measures);
    }

    /// <summary>The name TestBench gives an orchestration: the exported name.</summary>
    private static ExportedAlgorithm Exported(AlgorithmSpec algorithm, string exportedName, string orchestrationId, bool createdByThisRun, IReadOnlyList<ExportMeasure> measures) => new()
    {
        TemplateName = algorithm.Name,
        ExportedName = exportedName,
        Owner = "workspace",
        Version = orchestrationId,
        EnvironmentId = "wallaroo orchestration",
        Location = $"orchestration {exportedName} ({orchestrationId})",
        CreatedByThisRun = createdByThisRun,
        Measures = measures,
    };

    private async Task<OrchestrationInfo?> ReadyOrchestrationAsync(string name, CancellationToken cancellationToken) =>
        (await target.Wallaroo.OrchestrationsAsync(target.Wallaroo.Connection.WorkspaceId, cancellationToken).ConfigureAwait(false))
            .LastOrDefault(o => o.Name == name && o.Status == "ready");

    /// <summary>The orchestration ZIP: a rendered template with the generated <c>main.py</c>, or an orchestration folder as it is; data bundled.</summary>
    private async Task<byte[]> PackageAsync(AlgorithmSpec algorithm, ExportNames names, string exportedName, string? orchestrationFolder, List<ExportMeasure> measures, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("testbench-orchestration-").FullName;
        try
        {
            var bundler = new AlgorithmBundler(target.Source, target.Layout, target.ClientPackage, time);
            if (orchestrationFolder is not null)
            {
                AlgorithmBundler.CopyAsItIs(orchestrationFolder, folder);
            }
            else
            {
                await bundler.RenderAsync(algorithm, new SourceTemplate("workspace", names.Renames), folder, cancellationToken).ConfigureAwait(false);
                RefuseAlgoCalls(algorithm, exportedName, folder);
            }

            await bundler.BundleDataAsync(algorithm, folder, exportedName, measures, logger, cancellationToken).ConfigureAwait(false);
            // Templating renamed src/<Name>.py after the exported name.
            return orchestrationFolder is not null ? OrchestrationPackage.FromOrchestrationFolder(folder) : OrchestrationPackage.FromTemplate(folder, exportedName);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A task cannot call another algorithm (Wallaroo has no per-call route to an orchestration), so an algorithm whose
    /// source names <c>algo://</c> is skipped here, before anything is uploaded, rather than failing at its first run.
    /// </summary>
    private static void RefuseAlgoCalls(AlgorithmSpec algorithm, string exportedName, string folder)
    {
        // Named as in the template (rendering renamed src/<Name>.py after the exported name).
        var callers = Directory.EnumerateFiles(Path.Combine(folder, "src"), "*.py", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("algo://", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/').Replace(exportedName, algorithm.Name, StringComparison.Ordinal))
            .ToArray();
        if (callers.Length > 0)
        {
            throw new PrerequisiteMissingException($"{algorithm.Name} calls other algorithms (algo:// in {string.Join(", ", callers)}), and a Wallaroo task has no route to call an orchestration: its pipeline runs on the other targets");
        }
    }

    private Task<T> Timed<T>(List<ExportMeasure> measures, string name, Func<Task<T>> step) => ExportStep.TimedAsync(time, measures, name, step);

    private Task<T> Step<T>(Workflow workflow, AlgorithmSpec algorithm, string step, Func<Task<T>> run) => ExportStep.RunAsync(workflow, algorithm, step, target.Redactor, run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestration {Name} is ready already as {Id} (run_only): not uploaded again")]
    private static partial void LogReused(ILogger logger, string name, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Template} as Wallaroo orchestration {Name} ({Id})")]
    private static partial void LogExported(ILogger logger, string template, string name, string id);
}
