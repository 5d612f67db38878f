using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TestBench.Harness.Export;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Isolation;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// The embedded Racetrack's jobs and deployments. A deployment checks its manifest at once, then in the background
/// unpacks the build context under the data folder, builds the job's virtual environment, reads what the
/// entrypoint declares, and starts warm workers that construct the entrypoint; only then is the job callable.
/// </summary>
public sealed partial class RacetrackService(string dataDirectory, string python, SandboxChoice sandbox, JobFamilyTokens familyTokens, Func<Uri> pubAddress, TimeProvider time, ILogger<RacetrackService> logger) : IAsyncDisposable
{
    /// <summary>Warm workers of a job whose manifest sets no <c>max_concurrency</c> (unlimited there).</summary>
    private const int DefaultWorkers = 2;

    private readonly ConcurrentDictionary<string, Deployment> deployments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string Version), RacetrackJob> jobs = new();
    private readonly SemaphoreSlim oneBuildAtATime = new(1, 1);
    private readonly RuntimeMetrics metrics = new();

    /// <summary>The Racetrack runner shipped next to the assembly.</summary>
    public static string RunnerPath => Path.Combine(AppContext.BaseDirectory, "LangPacks", "python3", "racetrack_runner.py");

    private static string InspectPath => Path.Combine(AppContext.BaseDirectory, "LangPacks", "python3", "racetrack_inspect.py");

    public IEnumerable<RacetrackJob> Jobs => jobs.Values.OrderBy(j => j.Name, StringComparer.Ordinal).ThenBy(j => j.Version, StringComparer.Ordinal);

    public Deployment? FindDeployment(string id) => deployments.GetValueOrDefault(id);

    /// <summary>Starts a deployment; the build runs in the background. <paramref name="secrets"/> reach the build and the
    /// job's processes only: they are never written to the job's folder or shown by the API.</summary>
    /// <exception cref="InvalidOperationException">A deployment of the same job version is in progress.</exception>
    public Deployment Deploy(JobManifest manifest, byte[] buildContext, bool force, JobSecrets? secrets = null) =>
        Start(manifest, new DeploySource(buildContext, secrets ?? JobSecrets.None), force).Deployment;

    /// <summary>
    /// Builds and starts an exact version once more from what it was deployed with, secrets included, and waits for it
    /// (Lifecycle's redeploy answers when done: lifecycle/deployer/redeploy.py); <see langword="null"/> when there is no such job.
    /// </summary>
    public async Task<Deployment?> RedeployAsync(string name, string version)
    {
        if (Find(name, version) is not { } job)
        {
            return null;
        }

        var (deployment, run) = Start(job.Manifest, job.Source, force: true);
        await run.ConfigureAwait(false);
        return deployment;
    }

    /// <summary>The newest deployments first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Deployment> RecentDeployments(int limit) =>
        [.. deployments.Values.OrderByDescending(d => d.UpdateTime).Take(Math.Max(0, limit))];

    private (Deployment Deployment, Task Run) Start(JobManifest manifest, DeploySource source, bool force)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var now = time.GetUtcNow();
        var recent = deployments.Values.FirstOrDefault(d => d.JobName == manifest.Name && d.JobVersion == manifest.Version && d.Status == "in_progress");
        if (recent is not null)
        {
            throw new InvalidOperationException($"deployment {recent.Id} of {manifest.Name} {manifest.Version} is already in progress");
        }

        var warnings = manifest.NotEmulated is { Count: > 0 } fields
            ? $"this embedded Racetrack does not emulate manifest field(s) {string.Join(", ", fields)}: the job is deployed as if they were absent"
            : null;
        var deployment = new Deployment { Id = Guid.NewGuid().ToString(), JobName = manifest.Name, JobVersion = manifest.Version, Manifest = manifest, Warnings = warnings, CreateTime = now, UpdateTime = now };
        deployments[deployment.Id] = deployment;
        return (deployment, Task.Run(() => RunDeploymentAsync(deployment, manifest, source, force)));
    }

    /// <summary>
    /// The job a call names: an exact version, <c>latest</c> (the highest stable version) or a wildcard such as
    /// <c>1.x</c> or <c>1.2.x</c>; <see langword="null"/> when none matches.
    /// </summary>
    public RacetrackJob? Resolve(string name, string version)
    {
        if (version != "latest" && !version.EndsWith(".x", StringComparison.Ordinal))
        {
            return jobs.GetValueOrDefault((name, version));
        }

        var prefix = version == "latest" ? "" : version[..^1];
        return jobs.Values
            .Where(j => j.Name == name && j.IsStable && j.Status != "starting" && j.Version.StartsWith(prefix, StringComparison.Ordinal))
            .MaxBy(j => Version.TryParse(j.Version, out var parsed) ? parsed : new Version(0, 0));
    }

    public RacetrackJob? Find(string name, string version) => jobs.GetValueOrDefault((name, version));

    /// <summary>Deletes an exact version: its workers stop and its folder goes.</summary>
    public async Task<bool> DeleteAsync(string name, string version)
    {
        if (!jobs.TryRemove((name, version), out var job))
        {
            return false;
        }

        if (job.Pool is { } pool)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        var folder = Path.GetDirectoryName(job.Directory)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var job in jobs.Values)
        {
            if (job.Pool is { } pool)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }

        oneBuildAtATime.Dispose();
    }

    private async Task RunDeploymentAsync(Deployment deployment, JobManifest manifest, DeploySource source, bool force)
    {
        await oneBuildAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            if (jobs.ContainsKey((manifest.Name, manifest.Version)))
            {
                if (!force)
                {
                    Fail(deployment, $"job {manifest.Name} version {manifest.Version} is already deployed; deploy with force to overwrite it");
                    return;
                }

                await DeleteAsync(manifest.Name, manifest.Version).ConfigureAwait(false);
            }

            var folder = Path.Combine(dataDirectory, "jobs", manifest.Name, manifest.Version);
            var job = new RacetrackJob { Manifest = manifest, Source = source, CreateTime = time.GetUtcNow(), UpdateTime = time.GetUtcNow(), Directory = Path.Combine(folder, "job") };
            jobs[(manifest.Name, manifest.Version)] = job;
            try
            {
                await BuildAsync(deployment, job, folder).ConfigureAwait(false);
                job.Status = "running";
                job.UpdateTime = time.GetUtcNow();
                deployment.Phase = null;
                deployment.UpdateTime = time.GetUtcNow();
                deployment.Status = "done";
                LogDeployed(logger, job.Name, job.Version);
            }
#pragma warning disable CA1031 // Whatever breaks a deployment is its error, reported by GET /deploy/{id}, never thrown at the server.
            catch (Exception e)
#pragma warning restore CA1031
            {
                job.Status = "error";
                job.Error = e.Message;
                job.UpdateTime = time.GetUtcNow();
                Fail(deployment, e.Message);
            }
        }
        finally
        {
            oneBuildAtATime.Release();
        }
    }

    private async Task BuildAsync(Deployment deployment, RacetrackJob job, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        using (var archive = new MemoryStream(job.Source.BuildContext, writable: false))
        {
            try
            {
                await SafeTarExtractor.ExtractAsync(archive, job.Directory, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidOperationException($"build_context is not a usable tar.gz: {e.Message}", e);
            }
        }

        if (!File.Exists(Path.Combine(job.Directory, job.Manifest.EntrypointPath)))
        {
            throw new InvalidOperationException($"entrypoint_path {job.Manifest.EntrypointPath} is not in the build context");
        }

        var builder = new PythonBuilder(time, sandbox.Sandbox, buildVariables: job.Source.Secrets.BuildVariables(job.Manifest));
        var venv = Path.Combine(folder, "venv");
        var build = await builder.BuildJobAsync(job.Directory, job.Manifest.RequirementsPath, venv, python, CancellationToken.None).ConfigureAwait(false);
        job.BuildLog = build.Log;
        if (!build.Succeeded)
        {
            throw new InvalidOperationException($"building the job's environment failed; build log:\n{build.Log}");
        }

        Advance(deployment, "initializing Job entrypoint");
        var log = new StringBuilder();
        var inspection = await builder.RunStepAsync(log, job.Directory, venv, build.Python, python, CancellationToken.None, InspectPath, job.Manifest.EntrypointPath, job.Manifest.EntrypointClass ?? "").ConfigureAwait(false);
        job.BuildLog += log.ToString();
        if (inspection is not { Succeeded: true } || Declared(inspection.Output) is not { } declared)
        {
            throw new InvalidOperationException($"the entrypoint could not be loaded: {LastLine(inspection?.Combined ?? log.ToString())}");
        }

        job.Parameters = declared["parameters"]!.AsArray();
        job.InputExample = declared["docs_input_example"]?.DeepClone();
        job.InputExamples = declared["docs_input_examples"]?.DeepClone();

        var workers = job.Manifest.MaxConcurrency is > 0 and var cap ? Math.Min(cap, 8) : DefaultWorkers;
        var options = new RuntimeOptions
        {
            MaxConcurrency = workers,
            // Racetrack's rule: with max_concurrency set, calls beyond it wait in a queue of max_concurrency_queue (0: none).
            MaxQueueLength = job.Manifest.MaxConcurrency is > 0 ? job.Manifest.MaxConcurrencyQueue ?? 0 : 100_000,
        };
        // Racetrack's order: runtime_env, secrets over it, build variables cleared, then the variables it reserves.
        var environment = new Dictionary<string, string>(job.Source.Secrets.RuntimeVariables(job.Manifest));
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["PUB_URL"] = pubAddress().ToString().TrimEnd('/'),
            ["TESTBENCH_ENTRYPOINT_PATH"] = job.Manifest.EntrypointPath,
            ["JOB_NAME"] = job.Name,
            ["JOB_VERSION"] = job.Version,
            // The job's own identity for chain calls (its family's token: call_job where granted), never the user's.
            ["AUTH_TOKEN"] = familyTokens.TokenOf(job.Name),
        })
        {
            environment[name] = value;
        }

        if (job.Manifest.EntrypointClass is { } entrypointClass)
        {
            environment["TESTBENCH_ENTRYPOINT_CLASS"] = entrypointClass;
        }

        var spec = new WorkerSpec { Label = $"{job.Name}/{job.Version}", AlgorithmName = job.Name, Directory = job.Directory, Python = build.Python, BaseInterpreter = python, Environment = environment, Sandbox = sandbox.Sandbox };
        var pool = new WorkerPool(spec, options, RunnerPath, time, metrics);
        try
        {
            await pool.WarmUpAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        job.Pool = pool;
    }

    private static JsonObject? Declared(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        try
        {
            return line is null ? null : JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => !l.StartsWith("==", StringComparison.Ordinal)) ?? "(no output)";

    private void Advance(Deployment deployment, string phase)
    {
        deployment.Phase = phase;
        deployment.UpdateTime = time.GetUtcNow();
    }

    private void Fail(Deployment deployment, string error)
    {
        // A status poll reads the deployment without a lock, so the error is in place before the status says failed
        // (stores are not reordered with stores in .NET's memory model): a CI run once read "failed" with no error.
        deployment.Error = error;
        deployment.UpdateTime = time.GetUtcNow();
        deployment.Status = "failed";
        LogFailed(logger, deployment.JobName, deployment.JobVersion, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Name} {Version} deployed")]
    private static partial void LogDeployed(ILogger logger, string name, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment of {Name} {Version} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string name, string version, string error);
}
