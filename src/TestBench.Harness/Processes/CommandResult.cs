namespace TestBench.Harness.Processes;

/// <summary>How a program ended and what it printed.</summary>
/// <param name="ExitCode">The exit code; -1 when it was killed for running too long.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Errors">Standard error.</param>
/// <param name="Combined">Both streams, line by line in the order the lines arrived.</param>
public sealed record CommandResult(int ExitCode, string Output, string Errors, string Combined)
{
    public bool Succeeded => ExitCode == 0;

    public bool TimedOut => ExitCode == -1;
}
