using System.Collections.Concurrent;
using TestBench.LocalCluster.Storage;

using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Builds;

/// <summary>
/// Builds algorithms one at a time (builds are CPU-heavy on a small machine): check the commit out with
/// <c>git archive</c>, then the Python LangPack's build step. A build's status and log land in the registry;
/// failures are results with their log, never exceptions for the caller. A failing <c>src/&lt;Name&gt;_test.py</c> fails
/// the build only with <c>failOnAlgorithmTests</c> (by default it is a warning).
/// </summary>
public sealed partial class BuildService(AlgorithmRegistry registry, GitRepositories git, EnvironmentCatalog environments, string dataDirectory, SandboxChoice sandbox, bool failOnAlgorithmTests, TimeProvider time, ILogger<BuildService> logger)
    : IDisposable
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private readonly ConcurrentDictionary<string, Task<BuildRecord>> running = new(StringComparer.Ordinal);

    /// <summary>Starts a build of <paramref name="sha"/> and returns at once with the in-progress record.</summary>
    public BuildRecord Start(AlgorithmRecord algorithm, string sha)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var buildId = Guid.NewGuid().ToString();
        var build = new BuildRecord
        {
            BuildId = buildId,
            CommitSha = sha,
            StartedAt = time.GetUtcNow(),
            CodeDirectory = Path.Combine(dataDirectory, "builds", algorithm.Owner, algorithm.Name, buildId, "code"),
        };
        registry.Update(algorithm, a =>
        {
            a.Builds.Add(build);
            return build;
        });
        var completion = new TaskCompletionSource<BuildRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        running[buildId] = completion.Task;
        _ = Task.Run(async () =>
        {
            completion.SetResult(await RunAsync(algorithm, build).ConfigureAwait(false));
            running.TryRemove(buildId, out _);
        });
        return build;
    }

    public void Dispose() => oneAtATime.Dispose();

    /// <summary>Builds <paramref name="sha"/> and waits for the outcome.</summary>
    public Task<BuildRecord> BuildAsync(AlgorithmRecord algorithm, string sha, CancellationToken cancellationToken) =>
        WaitAsync(Start(algorithm, sha), cancellationToken);

    /// <summary>Waits for a started build.</summary>
    public Task<BuildRecord> WaitAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        return running.TryGetValue(build.BuildId, out var task) ? task.WaitAsync(cancellationToken) : Task.FromResult(build);
    }

    /// <summary>Deletes everything built for an algorithm.</summary>
    public void DeleteOutputs(string owner, string name)
    {
        var folder = Path.Combine(dataDirectory, "builds", owner, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<BuildRecord> RunAsync(AlgorithmRecord algorithm, BuildRecord build)
    {
        await oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            LogBuildStarted(logger, algorithm.Owner, algorithm.Name, build.CommitSha, build.BuildId);
            var (succeeded, log, python) = await BuildCodeAsync(algorithm, build).ConfigureAwait(false);
            registry.Update(algorithm, _ =>
            {
                build.Status = succeeded ? BuildRecord.Succeeded : BuildRecord.Failed;
                build.Log = log;
                build.Python = python;
                build.FinishedAt = time.GetUtcNow();
                return build;
            });
            LogBuildFinished(logger, algorithm.Owner, algorithm.Name, build.BuildId, build.Status);
            return build;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task<(bool Succeeded, string Log, string? Python)> BuildCodeAsync(AlgorithmRecord algorithm, BuildRecord build)
    {
        if (environments.ProblemWith(algorithm.EnvironmentId) is { } problem)
        {
            return (false, $"== environment {algorithm.EnvironmentId} is not installed on this cluster: {problem}\n== build failed\n", null);
        }

        try
        {
            await git.ExportAsync(algorithm.Owner, algorithm.Name, build.CommitSha, build.CodeDirectory, CancellationToken.None).ConfigureAwait(false);
            var environment = environments.Find(algorithm.EnvironmentId)!;
            var interpreter = environments.InterpreterOf(environment);
            var venv = Path.Combine(Path.GetDirectoryName(build.CodeDirectory)!, "venv");
            var result = await new PythonBuilder(time, sandbox.Sandbox, failOnAlgorithmTests).BuildAsync(algorithm.Name, build.CodeDirectory, venv, interpreter, CancellationToken.None).ConfigureAwait(false);
            var servedBy = environment.ServedBy is { } stand ? $"== environment '{environment.DisplayName}' is served by {stand}: {interpreter}\n" : "";
            return (result.Succeeded, $"== commit {build.CommitSha}\n{servedBy}{result.Log}", result.Python);
        }
#pragma warning disable CA1031 // Whatever breaks a build is reported in its log, never thrown at the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (false, $"== commit {build.CommitSha}\n== the build could not run: {e.Message}\n== build failed\n", null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} of {Owner}/{Name} at {Sha} started")]
    private static partial void LogBuildStarted(ILogger logger, string owner, string name, string sha, string buildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} of {Owner}/{Name} finished: {Status}")]
    private static partial void LogBuildFinished(ILogger logger, string owner, string name, string buildId, string status);
}
