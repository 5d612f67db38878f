using System.Diagnostics;
using System.Text;

namespace TestBench.Harness.Processes;

/// <summary>Runs external programs (git, python, pip) the same way everywhere: no shell, bounded in time, output captured.</summary>
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

    /// <summary>Runs the program to its end (or its time limit) and returns what it printed.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started; the message names it.</exception>
    public static async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var process = new Process { StartInfo = StartInfo(spec) };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var combined = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(e.Data, output, combined);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errors, combined);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{spec.Program} could not be started: {e.Message}", e);
        }

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
