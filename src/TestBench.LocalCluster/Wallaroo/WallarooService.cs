using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TestBench.Harness.Processes;
using TestBench.Harness.Workflows;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>
/// The embedded orchestration service's state and work: uploads unpacked by <see cref="OrchestrationArchive"/>'s rules
/// and packaged in the background (a virtual environment from its <c>requirements.txt</c>); tasks that run an
/// orchestration's <c>main.py</c> once, on a cron schedule, or continuously, each run a sandboxed process with the
/// task's arguments, its time limit and its log lines; kill stops runs and schedules and deletes the runs' logs.
/// </summary>
public sealed partial class WallarooService(WallarooOptions options, SandboxChoice sandbox, TimeProvider time, ILogger<WallarooService> logger) : IAsyncDisposable
{
    /// <summary>The one owner of everything here (Wallaroo's user ids are UUIDs).</summary>
    public const string OwnerId = "00000000-0000-0000-0000-00000000e5b0";

    /// <summary>The Wallaroo release whose API this service follows (the orchestration tutorial's).</summary>
    public const string EmulatedVersion = "2024.1.0";

    /// <summary>What a task's <c>image</c> and <c>image_tag</c> say: no container runs here, so they name this service.</summary>
    public const string TaskImage = "testbench/embedded-wallaroo-orch-deploy";

    public const string TaskImageTag = "v" + EmulatedVersion + "-testbench";

    private readonly ConcurrentDictionary<string, Orchestration> orchestrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WallarooTask> tasks = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim onePackagingAtATime = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly SandboxLimits limits = sandbox.Sandbox?.Limits ?? SandboxLimits.Default;
    private readonly ConcurrentBag<Task> background = [];
    private int disposed;

    private static string SdkFolder => Path.Combine(AppContext.BaseDirectory, "LangPacks", "wallaroo");

    public IEnumerable<Orchestration> Orchestrations(long workspaceId) =>
        orchestrations.Values.Where(o => o.WorkspaceId == workspaceId).OrderBy(o => o.CreatedAt);

    public Orchestration? FindOrchestration(string id) => orchestrations.GetValueOrDefault(id);

    public IEnumerable<WallarooTask> Tasks(long workspaceId) => tasks.Values.Where(t => t.WorkspaceId == workspaceId).OrderBy(t => t.CreatedAt);

    public IEnumerable<WallarooTask> TasksOf(string sha) => tasks.Values.Where(t => t.Orchestration.Sha == sha).OrderBy(t => t.CreatedAt);

    public WallarooTask? FindTask(string id) => tasks.GetValueOrDefault(id);

    public TaskRun? FindRun(string id) => tasks.Values.SelectMany(Runs).FirstOrDefault(r => r.Id == id);

    /// <summary>Checks and unpacks an upload at once; packaging goes on in the background.</summary>
    /// <exception cref="InvalidDataException">The ZIP breaks a rule; the message says which.</exception>
    public Orchestration Upload(byte[] zip, string fileName, long workspaceId, string? name)
    {
        var id = Guid.NewGuid().ToString();
        var folder = Path.Combine(options.DataDirectory, "orchestrations", id);
        OrchestrationArchive archive;
        try
        {
            archive = OrchestrationArchive.Extract(zip, Path.Combine(folder, "files"));
        }
        catch
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            throw;
        }

        var now = time.GetUtcNow();
        var orchestration = new Orchestration
        {
            Id = id, WorkspaceId = workspaceId, Sha = Convert.ToHexString(SHA256.HashData(zip)).ToLowerInvariant(), Name = name, FileName = fileName,
            PackagingTaskId = Guid.NewGuid().ToString(), Folder = folder, CreatedAt = now, UpdatedAt = now, EntrypointFolder = archive.EntrypointFolder,
        };
        orchestrations[id] = orchestration;
        Track(PackageAsync(orchestration, archive));
        return orchestration;
    }

    /// <summary>Creates a task and starts it: one run, runs at every tick of <paramref name="schedule"/>, or runs back to back.</summary>
    /// <exception cref="ArgumentException">The orchestration is unknown or not ready, or the schedule is not valid; the message names the field.</exception>
    public WallarooTask Start(string flavor, string? name, long workspaceId, string orchestrationId, JsonObject arguments, TimeSpan? timeout, string? schedule)
    {
        var orchestration = FindOrchestration(orchestrationId) ?? throw new ArgumentException($"orch_id: no orchestration {orchestrationId}");
        if (orchestration.Status != Orchestration.Ready)
        {
            throw new ArgumentException($"orch_id: orchestration {orchestrationId} is {orchestration.Status}, not ready{(orchestration.Error is { } error ? $" ({error})" : "")}");
        }

        var cron = schedule is null ? null : ParseSchedule(schedule);
        var now = time.GetUtcNow();
        var task = new WallarooTask
        {
            Id = Guid.NewGuid().ToString(), Name = name, WorkspaceId = workspaceId, Orchestration = orchestration, Flavor = flavor, Schedule = schedule,
            InputData = arguments, Timeout = timeout ?? options.DefaultRunTimeout, CreatedAt = now, UpdatedAt = now,
        };
        tasks[task.Id] = task;
        task.Status = "started";
        Track(flavor switch
        {
            Flavors.Once => RunAsync(task),
            Flavors.Scheduled => ScheduleAsync(task, cron!),
            _ => ContinuouslyAsync(task),
        });
        return task;
    }

    /// <summary>Stops the task's runs and further runs, and deletes its runs' logs (as Wallaroo does).</summary>
    public WallarooTask? Kill(string id)
    {
        if (FindTask(id) is not { } task)
        {
            return null;
        }

        task.Status = "pending_kill";
        task.UpdatedAt = time.GetUtcNow();
        lock (task.Runs)
        {
            task.Stop.Cancel();
        }

        foreach (var run in Runs(task))
        {
            run.ClearLogs();
        }

        task.Killed = true;
        return task;
    }

    public static IReadOnlyList<TaskRun> Runs(WallarooTask task)
    {
        lock (task.Runs)
        {
            return [.. task.Runs];
        }
    }

    /// <summary>A 5-field cron schedule (minute hour day-of-month month day-of-week).</summary>
    /// <exception cref="ArgumentException">It is not one; the message names the field and says why.</exception>
    public static CronSchedule ParseSchedule(string schedule)
    {
        try
        {
            return CronSchedule.Parse(schedule);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"schedule: {e.Message}", e);
        }
    }

    /// <summary>Stops every task and waits (bounded) for the runs; the host and its container may both call it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in tasks.Values)
        {
            await task.Stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Runs are killed with their process trees; what is left is not waited for.
        }

        stopping.Dispose();
        onePackagingAtATime.Dispose();
    }

    private void Track(Task work) => background.Add(work);

    private async Task PackageAsync(Orchestration orchestration, OrchestrationArchive archive)
    {
        await onePackagingAtATime.WaitAsync(stopping.Token).ConfigureAwait(false);
        try
        {
            Advance(orchestration, Orchestration.Packaging);
            var requirements = archive.RequirementsPath is null ? null : Path.GetRelativePath(archive.EntrypointFolder, archive.RequirementsPath);
            var build = await new PythonBuilder(time, sandbox.Sandbox).BuildJobAsync(archive.EntrypointFolder, requirements, Path.Combine(orchestration.Folder, "venv"), options.Python, stopping.Token).ConfigureAwait(false);
            if (!build.Succeeded)
            {
                orchestration.Error = $"packaging failed: {LastLines(build.Log)}";
                Advance(orchestration, Orchestration.PackagingFailed);
                return;
            }

            orchestration.Python = build.Python;
            Advance(orchestration, Orchestration.Ready);
        }
#pragma warning disable CA1031 // Whatever breaks packaging is the orchestration's error, shown by get_by_id.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            orchestration.Error = $"packaging failed: {e.Message}";
            Advance(orchestration, Orchestration.PackagingFailed);
        }
        finally
        {
            onePackagingAtATime.Release();
        }
    }

    private void Advance(Orchestration orchestration, string status)
    {
        orchestration.Status = status;
        orchestration.UpdatedAt = time.GetUtcNow();
    }

    private async Task ScheduleAsync(WallarooTask task, CronSchedule cron)
    {
        // The schedule's clock runs ScheduleMinute per minute (real time by default), from the task's creation.
        var speed = TimeSpan.FromMinutes(1) / options.ScheduleMinute;
        var origin = task.CreatedAt;
        DateTimeOffset ScheduleNow() => origin + (time.GetUtcNow() - origin) * speed;
        var runs = new List<Task>();
        var last = origin;
        try
        {
            while (!task.Stop.IsCancellationRequested)
            {
                // From the last tick, should a timer wake a hair early; from now, should ticks have been missed.
                var now = ScheduleNow();
                var next = cron.Next(now > last ? now : last);
                last = next;
                await Task.Delay((next - now) / speed, time, task.Stop.Token).ConfigureAwait(false);
                // A new run at every tick, even while earlier ones still run.
                runs.Add(RunAsync(task));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task ContinuouslyAsync(WallarooTask task)
    {
        try
        {
            while (!task.Stop.IsCancellationRequested)
            {
                await RunAsync(task).ConfigureAwait(false);
                await Task.Delay(options.ContinuousPause, time, task.Stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One run: <c>python main.py</c> in the orchestration's folder, sandboxed, with the task's arguments and time limit.</summary>
    private async Task RunAsync(WallarooTask task)
    {
        var now = time.GetUtcNow();
        var run = new TaskRun(task.Id, limits.OutputChars) { Id = Guid.NewGuid().ToString(), CreatedAt = now, UpdatedAt = now };
        lock (task.Runs)
        {
            // Kill cancels under this lock: a tick that fires as its task is killed starts no run.
            if (task.Stop.IsCancellationRequested)
            {
                return;
            }

            task.Runs.Add(run);
        }

        var home = Path.Combine(options.DataDirectory, "runs", run.Id);
        Directory.CreateDirectory(home);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(task.Stop.Token, stopping.Token);
        limit.CancelAfter(task.Timeout);
        Process? process = null;
        try
        {
            process = ExternalCommand.Start(Command(task, run, home));
            process.StandardInput.Close();
            var logged = Task.WhenAll(PumpAsync(run, "stdout", process.StandardOutput), PumpAsync(run, "stderr", process.StandardError));
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await logged.ConfigureAwait(false);
            Finish(run, process.ExitCode == 0 ? "success" : "failure");
        }
        catch (OperationCanceledException)
        {
            Stop(process);
            run.Log("stderr", task.Stop.IsCancellationRequested ? "[run stopped: the task was killed]" : $"[run stopped: it exceeded the task's timeout of {task.Timeout.TotalSeconds:0} s]", time.GetUtcNow());
            Finish(run, "failure");
        }
#pragma warning disable CA1031 // A run that cannot start is a failed run with the reason in its log.
        catch (Exception e)
#pragma warning restore CA1031
        {
            run.Log("stderr", $"[run could not start: {e.Message}]", time.GetUtcNow());
            Finish(run, "failure");
        }
        finally
        {
            process?.Dispose();
            Directory.Delete(home, recursive: true);
        }
    }

    private CommandSpec Command(WallarooTask task, TaskRun run, string home)
    {
        var orchestration = task.Orchestration;
        var command = new CommandSpec
        {
            Program = orchestration.Python!,
            Arguments = ["-u", "main.py"],
            WorkingDirectory = orchestration.EntrypointFolder,
            // The server's own variables (its token) never reach a run.
            IsolateEnvironment = true,
            Environment = new Dictionary<string, string>(task.ExtraEnvironment())
            {
                // In a sandbox, home is its private, bounded /tmp; unsandboxed, a folder of the run's own.
                ["HOME"] = sandbox.Sandbox is null ? home : "/tmp",
                ["PYTHONPATH"] = SdkFolder,
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["WALLAROO_TASK_ID"] = task.Id,
                ["WALLAROO_TASK_ARGS"] = task.InputData.ToJsonString(),
                ["RUN_ID"] = run.Id,
            },
        };
        var environmentRoot = Path.GetDirectoryName(Path.GetDirectoryName(orchestration.Python!))!;
        return sandbox.Sandbox is { } isolated
            ? isolated.Wrap(command, [orchestration.Folder, environmentRoot, SdkFolder, .. Sandbox.InterpreterFolders(options.Python)], writable: [])
            : command;
    }

    /// <summary>Logs a stream line by line, each line read within the run's log budget (one huge line costs no more).</summary>
    private async Task PumpAsync(TaskRun run, string stream, StreamReader reader)
    {
        var lines = new BoundedLineReader(reader, limits.OutputChars);
        while (await lines.ReadLineAsync().ConfigureAwait(false) is var (line, cut))
        {
            run.Log(stream, line, time.GetUtcNow(), cut);
        }
    }

    private void Finish(TaskRun run, string status)
    {
        run.Status = status;
        run.UpdatedAt = time.GetUtcNow();
        LogRunFinished(logger, run.TaskId, run.Id, status);
    }

    private static void Stop(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    private static string LastLines(string log) =>
        string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {Task} run {Run}: {Status}")]
    private static partial void LogRunFinished(ILogger logger, string task, string run, string status);

    /// <summary>The task flavors (Wallaroo's names).</summary>
    public static class Flavors
    {
        public const string Once = "exec_orch_oneshot";
        public const string Scheduled = "exec_orch_scheduled";
        public const string Continuous = "exec_orch_continuous";
    }
}
