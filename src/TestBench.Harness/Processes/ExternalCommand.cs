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

    /// <summary>Runs the program to its end (or its time limit) and returns what it printed.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started; the message names it.</exception>
    public static async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var combined = new StringBuilder();
        using var process = new Process { StartInfo = StartInfo(spec) };
        process.OutputDataReceived += (_, e) => Append(e.Data, output, combined);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errors, combined);
        Start(process, spec);

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

        lock (combined)
        {
            return new CommandResult(exitCode, output.ToString(), errors.ToString(), combined.ToString());
        }
    }

    private static void Append(string? line, StringBuilder stream, StringBuilder combined)
    {
        if (line is null)
        {
            return;
        }

        lock (combined)
        {
            stream.Append(line).Append('\n');
            combined.Append(line).Append('\n');
        }
    }
}
