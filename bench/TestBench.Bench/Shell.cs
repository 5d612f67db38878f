using System.Diagnostics;

namespace TestBench.Bench;

/// <summary>Runs the baselines' command-line tools.</summary>
internal static class Shell
{
    /// <summary>Runs a program to its end; throws when it fails.</summary>
    public static void Run(string program, params string[] arguments) => Output(program, arguments);

    /// <summary>Runs a program to its end and returns its standard output; throws when it fails.</summary>
    public static string Output(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
    }
}
