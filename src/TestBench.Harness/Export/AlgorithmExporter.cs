using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Algorithmia.Replies;
using TestBench.Harness.Resilience;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Exports one algorithm, step by step: environment, algorithm, data files, source push, build, smoke call of
/// <c>test_payload</c> at the built commit, publish, and one call of the published version. A failing step throws
/// <see cref="ExportException"/> naming it. Each step's duration, the copy's speed and the first successful calls
/// (cold start at the commit, then the published version) become the export's <see cref="ExportMeasure"/>s.
/// </summary>
internal sealed partial class AlgorithmExporter(ExportTarget target, TimeProvider time)
{
    private static readonly TimeSpan VersionWait = TimeSpan.FromMinutes(2);
    private const long MinBytesForSpeed = 1_000_000;

    public async Task<ExportedAlgorithm> ExportAsync(Workflow workflow, AlgorithmSpec algorithm, ExportNames names, string user, ILogger logger, CancellationToken cancellationToken)
    {
        var exportedName = names.ExportedName(algorithm.Name);
        if (algorithm.CodePath is null && Racetrack.JobFolder.IsJob(Path.Combine(target.Layout.AlgorithmsDirectory, algorithm.Name)))
        {
            throw new PrerequisiteMissingException($"algorithms/{algorithm.Name} is a Racetrack job (job.yaml), not an Algorithmia-style algorithm: it exports to Racetrack only");
        }

        if (algorithm.CodePath is null && Wallaroo.OrchestrationPackage.IsOrchestration(Path.Combine(target.Layout.AlgorithmsDirectory, algorithm.Name)))
        {
            throw new PrerequisiteMissingException($"algorithms/{algorithm.Name} is a Wallaroo orchestration (main.py), not an Algorithmia-style algorithm: it exports to Wallaroo only");
        }

        var environment = await Step(workflow, algorithm, "Environment lookup", () =>
            new EnvironmentResolver(target, time).ResolveAsync(algorithm.Environment, logger, cancellationToken)).ConfigureAwait(false);

        var existing = await Step(workflow, algorithm, "Algorithm lookup", () =>
            target.Destination.Algorithms.GetAsync(user, exportedName, cancellationToken)).ConfigureAwait(false);
        if (existing is null)
        {
            await Step(workflow, algorithm, "Algorithm creation", () =>
                target.Destination.Algorithms.CreateAsync(user, CreateBody(exportedName, environment), cancellationToken)).ConfigureAwait(false);
        }

        var measures = new List<ExportMeasure>();
        if (algorithm.DataFiles.Count > 0)
        {
            var started = time.GetTimestamp();
            var bytes = await Step(workflow, algorithm, "Data file copy", () =>
                new DataFileCopier(target, time).CopyAsync(algorithm.DataFiles, user, exportedName, logger, cancellationToken)).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            if (bytes > 0)
            {
                measures.Add(ExportMeasure.Seconds(ExportMeasure.DataCopy, elapsed));
            }

            // Below a megabyte the copy's time is its requests' round trips, not a speed worth a bar.
            if (bytes >= MinBytesForSpeed && elapsed > TimeSpan.Zero)
            {
                measures.Add(new ExportMeasure(ExportMeasure.DataCopySpeed, Math.Round(bytes / 1e6 / elapsed.TotalSeconds, 3), "MB/s", HigherIsBetter: true));
            }
        }

        var (sha, pushed) = await Timed(measures, ExportMeasure.SourcePush, () => Step(workflow, algorithm, "Source push", () => PushAsync(algorithm, names, user, exportedName, logger, cancellationToken))).ConfigureAwait(false);
        await Timed(measures, ExportMeasure.Build, () => Step(workflow, algorithm, "Build", async () =>
        {
            await new BuildWaiter(target, time).WaitAsync(user, exportedName, sha, logger, cancellationToken).ConfigureAwait(false);
            return true;
        })).ConfigureAwait(false);

        var payload = PayloadTemplate.Render(algorithm.TestPayload, exportedName);
        var coldStart = await Timed(measures, ExportMeasure.SmokeCall, () => Step(workflow, algorithm, "Test payload call", () => SmokeTestAsync(user, exportedName, sha, payload, logger, cancellationToken))).ConfigureAwait(false);
        measures.Add(ExportMeasure.Milliseconds(ExportMeasure.ColdStart, coldStart));
        await Timed(measures, ExportMeasure.Publish, () => Step(workflow, algorithm, "Publish", async () =>
        {
            await target.Destination.Algorithms.PublishAsync(user, exportedName, PublishBody(payload), cancellationToken).ConfigureAwait(false);
            return true;
        })).ConfigureAwait(false);
        var published = await Step(workflow, algorithm, "Published version call", () => PublishedCallAsync(user, exportedName, payload, cancellationToken)).ConfigureAwait(false);
        measures.Add(ExportMeasure.Milliseconds(ExportMeasure.FirstPublishedCall, published));

        LogExported(logger, algorithm.Name, user, exportedName, sha);
        return new ExportedAlgorithm
        {
            TemplateName = algorithm.Name,
            ExportedName = exportedName,
            Owner = user,
            Version = sha,
            Location = $"{user}/{exportedName}/{sha}",
            EnvironmentId = environment,
            CreatedByThisRun = existing is null,
            // A re-run that found the source unchanged built and published nothing new: its timings would only
            // pretend the platform got faster (and raise bars that the next real export cannot meet).
            Measures = pushed ? measures : [.. measures.Where(m => m.Name is ExportMeasure.DataCopy or ExportMeasure.DataCopySpeed)],
        };
    }

    private Task<T> Timed<T>(List<ExportMeasure> measures, string name, Func<Task<T>> step) => ExportStep.TimedAsync(time, measures, name, step);

    /// <summary>One call of the newest published private version (<c>latestPrivate</c>), the version callers get; its wall seconds.</summary>
    private async Task<double> PublishedCallAsync(string user, string name, JsonNode? payload, CancellationToken cancellationToken)
    {
        var response = await target.Destination.Calls.CallAsync(user, name, "latestPrivate", payload, 300, cancellationToken).ConfigureAwait(false);
        return response.Succeeded
            ? response.WallSeconds
            : throw new InvalidOperationException($"the published version (latestPrivate) answered the test payload with an error: {target.Redactor.Redact(response.ErrorMessage!)}");
    }

    private async Task<(string Sha, bool Pushed)> PushAsync(AlgorithmSpec algorithm, ExportNames names, string user, string exportedName, ILogger logger, CancellationToken cancellationToken)
    {
        var package = Directory.CreateTempSubdirectory("testbench-package-").FullName;
        try
        {
            var template = new SourceTemplate(user, names.Renames);
            await new SourcePackager(target.Source, target.Layout).PackageAsync(algorithm, template, package, cancellationToken).ConfigureAwait(false);
            var repository = GitRemote.For(target.Destination.Connection.Address, user, exportedName);
            var (sha, pushed) = await new GitPublisher(target).PublishAsync(repository, user, target.Destination.Connection.ApiKey, package, cancellationToken).ConfigureAwait(false);
            LogPushed(logger, exportedName, sha, pushed ? "pushed" : "unchanged, nothing pushed");
            return (sha, pushed);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    /// <summary>Calls the built commit until it answers (it may not be served right after the push); the wall seconds
    /// of the first successful call: the cold start of a fresh build.</summary>
    private async Task<double> SmokeTestAsync(string user, string name, string sha, JsonNode? payload, ILogger logger, CancellationToken cancellationToken)
    {
        var otherErrors = 0;
        var answered = await new Poll($"commit {sha} of {user}/{name} to answer its test payload", TimeSpan.FromSeconds(1), VersionWait).UntilDoneAsync(
            async token =>
            {
                var response = await target.Destination.Calls.CallAsync(user, name, sha, payload, 300, token).ConfigureAwait(false);
                if (response.Succeeded)
                {
                    return PollResult.Done<double>(response.WallSeconds, "answered");
                }

                var message = target.Redactor.Redact(response.ErrorMessage!);
                // Right after a push the platform may not serve the new commit yet; it says "version hash". Any other
                // error is given one more call.
                return message.Contains("version hash", StringComparison.OrdinalIgnoreCase) || ++otherErrors <= 1
                    ? PollResult.Pending<double>(message)
                    : throw new InvalidOperationException($"the algorithm answered the test payload with an error: {message}");
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (!answered.IsDone)
        {
            throw new InvalidOperationException($"the algorithm did not answer its test payload within {VersionWait.TotalMinutes:0} minutes: {answered.Status}");
        }

        LogSmokeTest(logger, name, answered.Value);
        return answered.Value;
    }

    private static CreateAlgorithmRequest CreateBody(string name, string environment) => new(
        name,
        new AlgorithmDetails($"QA - {name}"),
        new AlgorithmSettings(SourceVisibility: "closed", License: "apl", AlgorithmEnvironment: environment, NetworkAccess: "full", PipelineEnabled: true));

    private static PublishRequest PublishBody(JsonNode? payload) => new(
        new PublishSettings(AlgorithmCallability: "private"),
        new VersionInfo(VersionType: "minor", ReleaseNotes: "created programmatically by TestBench", SampleInput: payload?.ToJsonString() ?? "null"),
        new AlgorithmDetails("TestBench export"));

    private Task<T> Step<T>(Workflow workflow, AlgorithmSpec algorithm, string step, Func<Task<T>> run) => ExportStep.RunAsync(workflow, algorithm, step, target.Redactor, run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed {Name}: {Sha} ({What})")]
    private static partial void LogPushed(ILogger logger, string name, string sha, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test payload of {Name} answered in {Seconds:0.000} s")]
    private static partial void LogSmokeTest(ILogger logger, string name, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Template} as {Owner}/{Name} at {Sha}")]
    private static partial void LogExported(ILogger logger, string template, string owner, string name, string sha);
}
