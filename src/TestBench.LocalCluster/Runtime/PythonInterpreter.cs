using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// Finds a Python 3 interpreter that can build algorithms: it must run, be 3.8 or newer and have
/// <c>venv</c>. <c>TESTBENCH_PYTHON</c> names one explicitly; otherwise Debian's <c>/usr/bin/python3</c> is
/// preferred over whatever <c>python3</c> is first on PATH, because only it sees Debian's
/// <c>python3-*</c> packages (Pillow) through a <c>--system-site-packages</c> virtual environment.
/// </summary>
public static class PythonInterpreter
{
    /// <summary>The environment variable that names the interpreter.</summary>
    public const string Variable = "TESTBENCH_PYTHON";

    private static readonly string[] Candidates = ["/usr/bin/python3", "python3"];
    private static readonly string[] BaseImports = ["venv", "json", "base64"];

    /// <summary>The interpreter to use.</summary>
    /// <exception cref="InvalidOperationException">None is usable; the message says what was tried and why each failed.</exception>
    public static string Locate(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var configured = getEnvironmentVariable(Variable);
        var candidates = string.IsNullOrWhiteSpace(configured) ? Candidates : [configured];
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (Probe(candidate) is { } problem)
            {
                failures.Add($"{candidate}: {problem}");
                continue;
            }

            return candidate;
        }

        var hint = string.IsNullOrWhiteSpace(configured) ? $"install python3 and python3-venv, or set {Variable}" : $"fix or unset {Variable}";
        throw new InvalidOperationException($"No usable Python interpreter ({string.Join("; ", failures)}); {hint}.");
    }

    /// <summary>Why <paramref name="python"/> cannot build algorithms, or <see langword="null"/> when it can.</summary>
    public static string? Probe(string python, string extraImports = "")
    {
        if (Path.IsPathRooted(python) && !File.Exists(python))
        {
            return "does not exist";
        }

        var imports = string.Join(", ", BaseImports.Concat(extraImports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        var probe = new CommandSpec { Program = python, Arguments = ["-c", $"import sys, {imports}; sys.exit(0 if sys.version_info >= (3, 8) else 3)"] };
        try
        {
            using var process = ExternalCommand.Start(probe);
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return "did not answer within 20 s";
            }

            return process.ExitCode switch
            {
                0 => null,
                3 => "is older than Python 3.8",
                _ => $"cannot import {imports}: {LastLine(errors.Result)}",
            };
        }
        catch (InvalidOperationException e) when (e.InnerException is System.ComponentModel.Win32Exception cause)
        {
            return $"cannot be started ({cause.Message})";
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
