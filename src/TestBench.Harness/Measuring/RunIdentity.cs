using TestBench.Harness.Processes;

namespace TestBench.Harness.Measuring;

/// <summary>When, at which commit and on which machine a run measured: the provenance a reference sample keeps.</summary>
public sealed record RunIdentity
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The repository's commit, when it is a git checkout.</summary>
    public string? Commit { get; init; }

    /// <summary>The machine's fingerprint (<see cref="MachineFingerprint"/>).</summary>
    public required string Machine { get; init; }

    /// <summary>Now, on this machine, at the repository's current commit (none when git cannot tell).</summary>
    public static async Task<RunIdentity> CurrentAsync(string repositoryRoot, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        string? commit = null;
        try
        {
            var result = await ExternalCommand.RunAsync(
                new CommandSpec { Program = "git", Arguments = ["rev-parse", "--short=12", "HEAD"], WorkingDirectory = repositoryRoot, Timeout = TimeSpan.FromSeconds(10) },
                cancellationToken).ConfigureAwait(false);
            commit = result.Succeeded ? result.Output.Trim() : null;
        }
        catch (InvalidOperationException e) when (e.InnerException is System.ComponentModel.Win32Exception)
        {
            // No git on this machine: the reference sample simply names no commit.
        }

        return new RunIdentity { At = time.GetUtcNow(), Commit = commit, Machine = MachineFingerprint.Current };
    }
}
