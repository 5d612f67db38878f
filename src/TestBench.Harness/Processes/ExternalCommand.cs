using System.Diagnostics;
using System.Text;

namespace TestBench.Harness.Processes;

/// <summary>
/// The one launcher of child processes (git, python, pip, workers, embedded clusters): no shell, every stream
/// redirected as UTF-8, an isolated environment on request; <see cref="RunAsync"/> also bounds the time and captures output.
/// </summary>
public static class ExternalCommand
{
    /// <summary>The start info for <paramref name="spec"/>, with every stream redirected; for callers that stream.</summary>
    public static ProcessStartInfo StartInfo(CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var info = new ProcessStartInfo(spec.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (spec.WorkingDirectory is not null)
        {
            info.WorkingDirectory = spec.WorkingDirectory;
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (spec.IsolateEnvironment)
        {
            info.Environment.Clear();
            info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
            info.Environment["LANG"] = "C.UTF-8";
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Starts the program; the caller streams its input and output, and disposes it.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started; the message names it.</exception>
    public static Process Start(CommandSpec spec) => Start(new Process { StartInfo = StartInfo(spec) }, spec);

    /// <summary>Starts a process made from <see cref="StartInfo"/> (e.g. with events raised); the message of a failure names the program.</summary>
    public static Process Start(Process process, CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            // From the launcher thread, so that a parent-death signal means the death of this process, not of a thread.
            LauncherThread.Run(() => process.Start());
            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{spec.Program} could not be started: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs the program to its end (or its time limit) and returns the end of what it printed: at most
    /// <see cref="CommandSpec.MaxOutputChars"/> of each stream, with a note of what was not kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program could not be started; the message names it.</exception>
    public static async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var output = new OutputTail(spec.MaxOutputChars);
        var errors = new OutputTail(spec.MaxOutputChars);
        var combined = new OutputTail(spec.MaxOutputChars);
        using var process = new Process { StartInfo = StartInfo(spec) };
        Start(process, spec);

        process.StandardInput.Close();
        var drained = Task.WhenAll(PumpAsync(process.StandardOutput, output, combined, spec.MaxOutputChars), PumpAsync(process.StandardError, errors, combined, spec.MaxOutputChars));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(spec.Timeout);
        var exitCode = -1;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // A grandchild that kept the streams open must not hold the result: what arrived in a moment is kept.
        await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None)).ConfigureAwait(false);
        return new CommandResult(exitCode, output.ToString(), errors.ToString(), combined.ToString());
    }

    private static async Task PumpAsync(StreamReader stream, OutputTail own, OutputTail combined, int maxLineChars)
    {
        var lines = new BoundedLineReader(stream, maxLineChars);
        while (await lines.ReadLineAsync().ConfigureAwait(false) is var (line, cut))
        {
            own.Add(line, cut);
            combined.Add(line, cut);
        }
    }
}
