using System.Diagnostics;
using TestBench.Harness.Processes;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// One warm runner process for one algorithm version: it imports the algorithm once and then serves calls
/// one at a time over stdin (requests) and its output FIFO (answers). This type owns the process's lifetime and
/// its streams; the messages are <see cref="RunnerProtocol"/>'s, the call in flight a <see cref="PendingCall"/>. A worker that crashes, times out or
/// is abandoned by its caller is killed and must be replaced; <see cref="IsUsable"/> says whether it can
/// serve another call.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int SynchronousWriteLimit = 32 * 1024;

    /// <summary>util-linux's prlimit, which every Debian system has; without it workers run without a memory limit.</summary>
    private const string Prlimit = "/usr/bin/prlimit";

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process process;
    private readonly OutputFifo fifo;
    private readonly TimeProvider time;
    private readonly Lock sync = new();
    private readonly CapturedOutput output;
    private readonly RuntimeOptions limits;
    private readonly TaskCompletionSource handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task outputDrained;
    private PendingCall? pending;
    private bool broken;
    private Task? disposal;

    private WorkerProcess(WorkerSpec spec, string runnerPath, RuntimeOptions limits, TimeProvider time)
    {
        this.limits = limits;
        output = new CapturedOutput(limits.MaxOutputBytes);
        this.time = time;
        Label = spec.Label;
        fifo = OutputFifo.Create(limits.MaxResultBytes, OnAnswer, () => { });
        var command = Command(spec, runnerPath, fifo.Path, limits.MaxMemoryBytes);
        process = new Process { StartInfo = ExternalCommand.StartInfo(command), EnableRaisingEvents = true };
        try
        {
            ExternalCommand.Start(process, command);
        }
        catch
        {
            fifo.Dispose();
            throw;
        }

        ProcessId = process.Id;
        process.Exited += (_, _) => OnExited();
        outputDrained = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        LastUsed = time.GetTimestamp();
    }

    public string Label { get; }

    public int ProcessId { get; }

    /// <summary>When the worker last finished a call (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastUsed { get; private set; }

    /// <summary>Whether the worker is alive and may serve another call.</summary>
    public bool IsUsable => !broken && !process.HasExited;

    /// <summary>Starts a runner and waits until it has loaded the algorithm.</summary>
    /// <exception cref="WorkerStartException">The runner died or did not finish loading in time.</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerSpec spec, string runnerPath, RuntimeOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var loadTimeout = options.LoadTimeout;
        var worker = new WorkerProcess(spec, runnerPath, options, time);
        var exited = worker.process.WaitForExitAsync(CancellationToken.None);
        var loaded = worker.handshake.Task.WaitAsync(loadTimeout, time, cancellationToken);
        try
        {
            if (await Task.WhenAny(loaded, exited).ConfigureAwait(false) == exited)
            {
                await worker.DrainOutputAsync().ConfigureAwait(false);
                throw new WorkerStartException(spec.Label, $"the runner exited with code {worker.process.ExitCode} before it finished loading", worker.TakeOutput());
            }

            await loaded.ConfigureAwait(false);
            return worker;
        }
        catch (TimeoutException)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw new WorkerStartException(spec.Label, $"loading took longer than {loadTimeout.TotalSeconds:0.#} s", worker.TakeOutput());
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one call. Never throws for algorithm failures: they come back as <see cref="CallResult.Error"/>.</summary>
    /// <param name="input">The call's input.</param>
    /// <param name="timeout">The call's timeout, named in the error when it passes.</param>
    /// <param name="stop">Cancelled when the timeout has passed or the caller gave up; the first becomes a
    /// <c>TimeoutError</c>, the second an <see cref="OperationCanceledException"/>.</param>
    /// <param name="cancellationToken">The caller giving up.</param>
    public async Task<CallResult> CallAsync(AlgorithmInput input, TimeSpan timeout, CancellationToken stop, CancellationToken cancellationToken)
    {
        var call = new PendingCall();
        lock (sync)
        {
            if (pending is not null || !IsUsable)
            {
                throw new InvalidOperationException($"Worker {ProcessId} of {Label} is busy or broken.");
            }

            pending = call;
        }

        try
        {
            await WriteRequestAsync(input, cancellationToken).ConfigureAwait(false);
            var started = time.GetTimestamp();
            try
            {
                var (answer, printed) = await call.Completion.Task.WaitAsync(stop).ConfigureAwait(false);
                if (answer is null)
                {
                    return await CrashedAsync(started).ConfigureAwait(false);
                }

                LastUsed = time.GetTimestamp();
                var result = RunnerProtocol.ParseAnswer(answer, printed, time.GetElapsedTime(started).TotalSeconds);
                return result.Error?.ErrorType == "MemoryError" ? await OutOfMemoryAsync(result).ConfigureAwait(false) : result;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await KillAsync().ConfigureAwait(false);
                var message = $"The call to {Label} did not finish within its timeout of {timeout.TotalSeconds:0.###} s; the worker was stopped.";
                return Failure(new AlgorithmError(message, null, "TimeoutError"), started);
            }
        }
        catch (OperationCanceledException)
        {
            // The caller is gone but the runner is still busy with its input: it cannot serve anyone else.
            await KillAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            lock (sync)
            {
                pending = null;
            }
        }
    }

    /// <summary>Stops the runner (a busy one is killed after a short grace) and frees its FIFO; safe to call twice.</summary>
    public ValueTask DisposeAsync()
    {
        lock (sync)
        {
            disposal ??= StopAsync();
            return new ValueTask(disposal);
        }
    }

    private async Task StopAsync()
    {
        broken = true;
        if (!process.HasExited)
        {
            // Closing stdin asks the runner to leave its loop; a runner stuck in apply() is killed.
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await KillAsync().ConfigureAwait(false);
            }
        }

        await DrainOutputAsync().ConfigureAwait(false);
        process.Dispose();
        fifo.Dispose();
    }

    private async Task WriteRequestAsync(AlgorithmInput input, CancellationToken cancellationToken)
    {
        // The runner reads stdin whenever it is idle, so a small line fits the pipe buffer at once: a plain
        // write is cheaper than an asynchronous one. Large inputs are written asynchronously.
        var line = input.ToRequestBytes();
        var stdin = process.StandardInput.BaseStream;
        if (line.Length <= SynchronousWriteLimit)
        {
            stdin.Write(line);
            stdin.Flush();
            return;
        }

        await stdin.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CallResult> CrashedAsync(long started)
    {
        broken = true;
        await DrainOutputAsync().ConfigureAwait(false);
        var printed = TakeOutput();
        var message = $"The runner of {Label} exited with code {process.ExitCode} during the call.";
        return new CallResult
        {
            Error = new AlgorithmError(message, printed.Length > 0 ? printed : null, "SystemExit"),
            DurationSeconds = time.GetElapsedTime(started).TotalSeconds,
            Stdout = printed,
        };
    }

    /// <summary>The algorithm ran into the memory limit: the answer says so, and this worker, whose heap may be in any
    /// state, is stopped so that the next call gets a fresh one.</summary>
    private async Task<CallResult> OutOfMemoryAsync(CallResult result)
    {
        await KillAsync().ConfigureAwait(false);
        var limit = limits.MaxMemoryBytes is { } bytes ? $" of {bytes / (1024.0 * 1024 * 1024):0.##} GiB" : "";
        var message = $"The call to {Label} exceeded the memory limit{limit}; the worker was stopped and the next call gets a fresh one.";
        return result with { Error = result.Error! with { Message = message } };
    }

    private CallResult Failure(AlgorithmError error, long started) => new()
    {
        Error = error,
        DurationSeconds = time.GetElapsedTime(started).TotalSeconds,
        Stdout = TakeOutput(),
    };

    private void OnAnswer(string line, long cutBytes)
    {
        if (cutBytes > 0)
        {
            line = RunnerProtocol.TooLargeAnswer(line, Label, line.Length + cutBytes, limits.MaxResultBytes);
        }

        // An answer that says the call printed waits for the end-of-output marker on stdout; any other takes
        // what was captured so far.
        PendingCall? call;
        string? printed = null;
        lock (sync)
        {
            call = pending;
            if (!line.StartsWith(RunnerProtocol.PrintedPrefix, StringComparison.Ordinal))
            {
                printed = TakeOutputLocked();
            }
        }

        call?.SetAnswer(line, printed);
    }

    private void OnExited()
    {
        PendingCall? call;
        lock (sync)
        {
            call = pending;
        }

        call?.SetCrashed();
    }

    private async Task PumpAsync(StreamReader stream)
    {
        var reader = new BoundedLineReader(stream, limits.MaxOutputBytes);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is var (line, cut))
        {
            if (!handshake.Task.IsCompleted && line.Contains(RunnerProtocol.Handshake, StringComparison.Ordinal))
            {
                handshake.TrySetResult();
                continue;
            }

            PendingCall? call = null;
            string? printed = null;
            lock (sync)
            {
                if (line == RunnerProtocol.CallEnd)
                {
                    call = pending;
                    printed = TakeOutputLocked();
                }
                else
                {
                    output.AppendLine(line, cut);
                }
            }

            call?.SetOutput(printed!);
        }
    }

    private string TakeOutput()
    {
        lock (sync)
        {
            return TakeOutputLocked();
        }
    }

    private string TakeOutputLocked() => output.Take();

    private async Task DrainOutputAsync()
    {
        try
        {
            await outputDrained.WaitAsync(DrainTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild holding the pipes open must not hold up the server; what was read is kept.
        }
    }

    private async Task KillAsync()
    {
        broken = true;
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static CommandSpec Command(WorkerSpec spec, string runnerPath, string fifoPath, long? maxMemoryBytes)
    {
        // Start from nothing: the server's own variables (keys, tokens) must never reach an algorithm.
        var environment = new Dictionary<string, string>
        {
            // In a sandbox, home is its private /tmp; unsandboxed, the FIFO's private folder.
            ["HOME"] = spec.Sandbox is null ? Path.GetDirectoryName(fifoPath)! : "/tmp",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        foreach (var (name, value) in spec.Environment)
        {
            environment[name] = value;
        }

        environment["TESTBENCH_ALGORITHM_NAME"] = spec.AlgorithmName;
        environment["TESTBENCH_PIPE_OUT"] = fifoPath;
        if (spec.Sandbox is not null)
        {
            // The runner has a PID namespace of its own: after each call it may end every process but its own line.
            environment["TESTBENCH_SANDBOXED"] = "1";
        }

        var command = new CommandSpec { Program = spec.Python, Arguments = ["-u", runnerPath], WorkingDirectory = spec.Directory, IsolateEnvironment = true, Environment = environment };
        if (spec.Sandbox is { } sandbox)
        {
            // The code, its virtual environment (bin/python's grandparent) and the answer FIFO, all read-only: the
            // runner writes into the FIFO but cannot replace it. The sandbox's limits apply, with this cluster's worker memory.
            sandbox.Account.GrantWrite(fifoPath);
            var environmentRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(spec.Python)))!;
            string[] readOnly = [spec.Directory, environmentRoot, Path.GetDirectoryName(Path.GetFullPath(runnerPath))!, fifoPath, .. Sandbox.InterpreterFolders(spec.BaseInterpreter)];
            return sandbox.Wrap(command, readOnly, writable: [], sandbox.Limits.WithMemory(maxMemoryBytes));
        }

        // Unsandboxed, the address-space limit (RLIMIT_AS) still holds for the runner and everything it starts: an
        // allocation beyond it fails in the algorithm (MemoryError) instead of the machine swapping.
        return maxMemoryBytes is { } limit && File.Exists(Prlimit)
            ? command with { Program = Prlimit, Arguments = [$"--as={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "--", command.Program, .. command.Arguments] }
            : command;
    }
}
