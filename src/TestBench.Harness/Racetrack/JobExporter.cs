using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Export;
using TestBench.Harness.Resilience;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// Exports one workflow algorithm as a Racetrack job, step by step: package (the rendered template, its data files
/// from the source cluster, the client package, a generated entrypoint and manifest — or, for a template folder that is
/// a job already, the folder as it is, see <see cref="JobFolder"/>), deploy, wait for the deployment and then until Pub
/// really routes to the job, check <c>/parameters</c>, call the test payload, and call the input example (an empty
/// body; generated jobs only). A failing step throws <see cref="ExportException"/> naming it; each step's time and the
/// first calls become the export's <see cref="ExportMeasure"/>s.
/// </summary>
internal sealed partial class JobExporter(RacetrackTarget target, TimeProvider time)
{
    /// <summary>The version every exported job gets: a run's jobs have names of their own.</summary>
    public const string JobVersion = "1.0.0";

    /// <summary>The manifest's owner: Racetrack asks for an e-mail address.</summary>
    public const string Owner = "testbench@localhost";

    private const string JobType = "python3:latest";
    private static readonly TimeSpan FirstCallWait = TimeSpan.FromMinutes(2);

    public async Task<ExportedAlgorithm> ExportAsync(Workflow workflow, AlgorithmSpec algorithm, ExportNames names, ILogger logger, CancellationToken cancellationToken)
    {
        var environment = algorithm.Environment.Describe();
        if (environment.Contains("Python 2", StringComparison.OrdinalIgnoreCase) || algorithm.Environment.Language is "python2")
        {
            throw new PrerequisiteMissingException($"{algorithm.Name} needs '{environment}'; Racetrack's python3 job type runs Python 3 only");
        }

        var exportedName = names.ExportedName(algorithm.Name);
        var jobName = RacetrackName(exportedName);
        var template = Path.Combine(target.Layout.AlgorithmsDirectory, algorithm.Name);
        var asItIs = algorithm.CodePath is null && JobFolder.IsJob(template);
        if (algorithm.CodePath is null && !asItIs && Wallaroo.OrchestrationPackage.IsOrchestration(template))
        {
            throw new PrerequisiteMissingException($"algorithms/{algorithm.Name} is a Wallaroo orchestration (main.py), not an Algorithmia-style algorithm or a job: it exports to Wallaroo only");
        }

        var measures = new List<ExportMeasure>();
        if (workflow.RunOnly && await IsRunningAsync(jobName, cancellationToken).ConfigureAwait(false))
        {
            LogReused(logger, jobName);
            return Exported(algorithm, exportedName, createdByThisRun: false, measures) with { TakesKeywordArguments = asItIs };
        }

        var package = await Step(workflow, algorithm, "Job packaging", () => asItIs
            ? PackageJobFolderAsync(algorithm, template, exportedName, measures, logger, cancellationToken)
            : PackageAsync(algorithm, names, exportedName, measures, logger, cancellationToken)).ConfigureAwait(false);
        await Timed(measures, ExportMeasure.Deploy, () => Step(workflow, algorithm, "Deployment", async () =>
        {
            var id = await target.Racetrack.DeployAsync(package.Manifest, package.BuildContext, force: true, cancellationToken).ConfigureAwait(false);
            return await target.Racetrack.WaitForDeploymentAsync(id, target.DeployTimeout, time, logger, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
        await Timed(measures, ExportMeasure.ReadyWait, () => Step(workflow, algorithm, "Readiness", async () =>
        {
            await target.Racetrack.WaitUntilReadyAsync(jobName, JobVersion, target.ReadyTimeout, time, logger, cancellationToken).ConfigureAwait(false);
            return true;
        })).ConfigureAwait(false);
        await AllowCallsWithinTheWorkflowAsync(jobName, names, logger, cancellationToken).ConfigureAwait(false);
        var payload = PayloadTemplate.Render(algorithm.TestPayload, exportedName);
        var arguments = await Step(workflow, algorithm, "Parameters check", () => CheckParametersAsync(jobName, asItIs, payload, cancellationToken)).ConfigureAwait(false);
        var coldStart = await Timed(measures, ExportMeasure.SmokeCall, () => Step(workflow, algorithm, "Test payload call", () =>
            FirstCallAsync(jobName, arguments, "its test payload", logger, cancellationToken))).ConfigureAwait(false);
        measures.Add(ExportMeasure.Milliseconds(ExportMeasure.ColdStart, coldStart));
        if (!asItIs)
        {
            var example = await Step(workflow, algorithm, "Input example call", () =>
                FirstCallAsync(jobName, null, "its docs_input_example (an empty body)", logger, cancellationToken)).ConfigureAwait(false);
            measures.Add(ExportMeasure.Milliseconds(ExportMeasure.InputExampleCall, example));
        }

        LogExported(logger, algorithm.Name, jobName, JobVersion);
        return Exported(algorithm, exportedName, createdByThisRun: true, measures) with { TakesKeywordArguments = asItIs };
    }

    /// <summary>The exported name is the workflow's (payloads and data paths use it); the job's is <see cref="RacetrackName"/> of it.</summary>
    private static ExportedAlgorithm Exported(AlgorithmSpec algorithm, string exportedName, bool createdByThisRun, IReadOnlyList<ExportMeasure> measures) => new()
    {
        TemplateName = algorithm.Name,
        ExportedName = exportedName,
        Owner = Owner,
        Version = JobVersion,
        EnvironmentId = JobType,
        Location = $"job {RacetrackName(exportedName)} {JobVersion}",
        CreatedByThisRun = createdByThisRun,
        Measures = measures,
    };

    /// <summary>
    /// Lets the new job and the workflow's other jobs already deployed call each other — and nothing else — with their own
    /// identities: a pipeline's <c>algo://</c> calls go through Pub with the calling job's <c>AUTH_TOKEN</c>. A token that may
    /// not grant (a real Racetrack's ordinary user) leaves it to an admin, said once per pair in the log.
    /// </summary>
    private async Task AllowCallsWithinTheWorkflowAsync(string jobName, ExportNames names, ILogger logger, CancellationToken cancellationToken)
    {
        var deployed = (await target.Racetrack.ListJobsAsync(cancellationToken).ConfigureAwait(false)).Select(job => job.Name).ToHashSet(StringComparer.Ordinal);
        var others = names.Renames.Values.Select(RacetrackName).Where(other => other != jobName && deployed.Contains(other)).Distinct(StringComparer.Ordinal);
        foreach (var other in others)
        {
            foreach (var (source, callee) in new[] { (jobName, other), (other, jobName) })
            {
                try
                {
                    await target.Racetrack.AllowCallsAsync(source, callee, cancellationToken).ConfigureAwait(false);
                }
                catch (RacetrackApiException e) when (e.Status is 401 or 403)
                {
                    LogGrantRefused(logger, source, callee, e.Message);
                }
            }
        }
    }

    private async Task<bool> IsRunningAsync(string jobName, CancellationToken cancellationToken) =>
        (await target.Racetrack.ListJobsAsync(cancellationToken).ConfigureAwait(false)).Any(job => job.Name == jobName && job.Version == JobVersion && job.Status == "running");

    private async Task<JobPackage> PackageAsync(AlgorithmSpec algorithm, ExportNames names, string exportedName, List<ExportMeasure> measures, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("testbench-job-").FullName;
        try
        {
            var bundler = Bundler();
            await bundler.RenderAsync(algorithm, new SourceTemplate(Owner, names.Renames), folder, cancellationToken).ConfigureAwait(false);
            await bundler.BundleDataAsync(algorithm, folder, exportedName, measures, logger, cancellationToken).ConfigureAwait(false);
            var payload = PayloadTemplate.Render(algorithm.TestPayload, exportedName);
            // Templating renamed src/<Name>.py after the exported name.
            return JobPackage.FromTemplate(folder, exportedName, RacetrackName(exportedName), JobVersion, payload);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A folder that is a job already: copied as it is (its data files bundled beside it), the manifest renamed.</summary>
    private async Task<JobPackage> PackageJobFolderAsync(AlgorithmSpec algorithm, string template, string exportedName, List<ExportMeasure> measures, ILogger logger, CancellationToken cancellationToken)
    {
        var manifest = JobFolder.ReadManifest(template);
        var folder = Directory.CreateTempSubdirectory("testbench-job-").FullName;
        try
        {
            AlgorithmBundler.CopyAsItIs(template, folder);
            await Bundler().BundleDataAsync(algorithm, folder, exportedName, measures, logger, cancellationToken).ConfigureAwait(false);
            return JobPackage.FromJobFolder(folder, manifest, RacetrackName(exportedName), JobVersion);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private AlgorithmBundler Bundler() => new(target.Source, target.Layout, target.ClientPackage, time);

    /// <summary>What <c>/perform</c> gets for <paramref name="payload"/>: the payload itself as <c>perform</c>'s keyword
    /// arguments (a job deployed as it is), or <c>{"input": payload}</c> (a generated entrypoint).</summary>
    /// <exception cref="ArgumentException">Keyword arguments were asked for and the payload is not an object.</exception>
    public static JsonObject PerformArguments(bool keywordArguments, JsonNode? payload) => !keywordArguments
        ? new JsonObject { ["input"] = payload?.DeepClone() }
        : payload as JsonObject is { } arguments
            ? (JsonObject)arguments.DeepClone()
            : throw new ArgumentException($"a Racetrack job deployed as it is takes a payload as perform's keyword arguments, so it must be a JSON object, not {payload?.ToJsonString() ?? "null"}");

    /// <summary>
    /// Checks <c>/parameters</c> against what the export will send: a generated entrypoint's perform takes exactly
    /// <c>input</c>; a job deployed as it is must take every key of the test payload and get every parameter without a
    /// default. Returns the test payload's <c>/perform</c> arguments.
    /// </summary>
    private async Task<JsonObject> CheckParametersAsync(string jobName, bool asItIs, JsonNode? payload, CancellationToken cancellationToken)
    {
        var parameters = (await target.Racetrack.ParametersAsync(jobName, JobVersion, cancellationToken).ConfigureAwait(false)).OfType<JsonObject>().ToArray();
        var names = parameters.Select(p => p["name"]?.ToString() ?? "").ToArray();
        var arguments = PerformArguments(asItIs, payload);
        if (!asItIs)
        {
            return names is ["input"] ? arguments : throw new InvalidOperationException($"/parameters lists [{string.Join(", ", names)}]; the generated entrypoint's perform takes exactly 'input'");
        }

        var unknown = arguments.Select(a => a.Key).Except(names, StringComparer.Ordinal).ToArray();
        var missing = parameters.Where(p => !p.ContainsKey("default_value")).Select(p => p["name"]?.ToString() ?? "").Except(arguments.Select(a => a.Key), StringComparer.Ordinal).ToArray();
        return unknown.Length + missing.Length == 0
            ? arguments
            : throw new InvalidOperationException($"the test payload does not fit perform's parameters [{string.Join(", ", names)}] from /parameters: "
                + string.Join("; ", new[] { unknown.Length > 0 ? $"unknown {string.Join(", ", unknown)}" : null, missing.Length > 0 ? $"missing {string.Join(", ", missing)}" : null }.OfType<string>()));
    }

    /// <summary>Calls until the job answers (Pub may 404 for a moment after readiness); the wall seconds of the first success.</summary>
    private async Task<double> FirstCallAsync(string jobName, JsonObject? arguments, string what, ILogger logger, CancellationToken cancellationToken)
    {
        var answered = await new Poll($"job {jobName} to answer {what}", TimeSpan.FromMilliseconds(500), FirstCallWait).UntilDoneAsync(
            async token =>
            {
                var response = await target.Racetrack.PerformAsync(jobName, JobVersion, arguments, token).ConfigureAwait(false);
                return response switch
                {
                    { Succeeded: true } => PollResult.Done(response.WallSeconds, "answered"),
                    { Status: 404 or 502 or 503 } => PollResult.Pending<double>($"HTTP {response.Status}"),
                    _ => throw new InvalidOperationException($"the job answered {what} with HTTP {response.Status}: {target.Redactor.Redact(response.Body)}"),
                };
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        return answered.IsDone
            ? answered.Value
            : throw new InvalidOperationException($"the job did not answer {what} within {FirstCallWait.TotalMinutes:0} minutes: {answered.Status}");
    }

    /// <summary>Racetrack's job names allow no underscores; exported names keep the template's case, so they are lowered.</summary>
    public static string RacetrackName(string exportedName) => exportedName.ToLowerInvariant().Replace('_', '-');

    private Task<T> Timed<T>(List<ExportMeasure> measures, string name, Func<Task<T>> step) => ExportStep.TimedAsync(time, measures, name, step);

    private Task<T> Step<T>(Workflow workflow, AlgorithmSpec algorithm, string step, Func<Task<T>> run) => ExportStep.RunAsync(workflow, algorithm, step, target.Redactor, run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Name} is running already (run_only): not deployed again")]
    private static partial void LogReused(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job family {Source} may not call {Target} until a Racetrack admin grants it call_job on {Target} (README, Security); the grant was refused: {Reason}")]
    private static partial void LogGrantRefused(ILogger logger, string source, string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Template} as Racetrack job {Name} {Version}")]
    private static partial void LogExported(ILogger logger, string template, string name, string version);
}
