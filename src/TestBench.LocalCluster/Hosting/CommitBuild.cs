using System.Collections.Concurrent;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// The embedded servers built from another commit of this repository, so a comparison can set the runtime of one
/// commit against another's (issue #27): the commit is checked out in a git worktree and its
/// <c>TestBench.LocalCluster</c> built as <c>dotnet test</c> builds this one (the Debug configuration, whose measured
/// code is compiled optimized), into a directory kept per commit and reused by later runs.
/// </summary>
public static class CommitBuild
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Building = new();

    /// <summary>Where builds are kept, one directory per commit. <value>testbench-builds under the temporary directory.</value></summary>
    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "testbench-builds");

    /// <summary>Builds the servers of a commit of this repository, or finds them built, and says how to launch them.</summary>
    /// <param name="repository">The repository's root.</param>
    /// <param name="revision">A commit, branch or tag of it.</param>
    /// <param name="setting">The setting that named the revision, for errors.</param>
    /// <param name="cancellationToken">Stops git and the build.</param>
    /// <exception cref="InvalidOperationException">The revision names no commit, or its servers would not build; the message says which and why.</exception>
    public static async Task<BuiltCommit> BuildAsync(string repository, string revision, string setting, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        var resolved = await GitAsync(repository, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (!resolved.Succeeded)
        {
            throw new InvalidOperationException($"{setting} is '{revision}', which names no commit of the repository at {repository}{Said(resolved)}");
        }

        var commit = resolved.Output.Trim();
        var built = new BuiltCommit(revision, commit, Path.Combine(CacheDirectory, commit));
        var gate = Building.GetOrAdd(commit, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(built.Executable))
            {
                await BuildIntoAsync(repository, built, setting, cancellationToken).ConfigureAwait(false);
            }

            return built;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task BuildIntoAsync(string repository, BuiltCommit built, string setting, CancellationToken cancellationToken)
    {
        // Built beside the cache and moved into place whole, so a build cut short never passes for a finished one.
        var work = Directory.CreateDirectory(Path.Combine(CacheDirectory, $"{built.Commit}.building-{Guid.NewGuid():N}")).FullName;
        var source = Path.Combine(work, "source");
        var output = Path.Combine(work, "out");
        try
        {
            var checkout = await GitAsync(repository, ["worktree", "add", "--detach", source, built.Commit], cancellationToken).ConfigureAwait(false);
            if (!checkout.Succeeded)
            {
                throw new InvalidOperationException($"{setting} is '{built.Revision}' ({built.Abbreviated}); checking it out in a git worktree failed{Said(checkout)}");
            }

            var project = Path.Combine(source, "src", "TestBench.LocalCluster", "TestBench.LocalCluster.csproj");
            if (!File.Exists(project))
            {
                throw new InvalidOperationException($"{setting} is '{built.Revision}' ({built.Abbreviated}), which has no src/TestBench.LocalCluster to build");
            }

            var build = await ExternalCommand.RunAsync(
                new CommandSpec { Program = "dotnet", Arguments = ["build", project, "-c", "Debug", "-o", output, "-nologo", "-v:q", "-clp:ErrorsOnly"], Timeout = BuildTimeout, MaxOutputChars = 64 * 1024 },
                cancellationToken).ConfigureAwait(false);
            if (!build.Succeeded)
            {
                throw new InvalidOperationException($"{setting} is '{built.Revision}' ({built.Abbreviated}); its embedded servers did not build{(build.TimedOut ? $" within {BuildTimeout.TotalMinutes:0} minutes" : "")}{Said(build)}");
            }

            try
            {
                Directory.Move(output, built.Directory);
            }
            catch (IOException) when (File.Exists(built.Executable))
            {
                // Another run built the same commit first; its build serves.
            }
        }
        finally
        {
            await GitAsync(repository, ["worktree", "remove", "--force", source], CancellationToken.None).ConfigureAwait(false);
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<CommandResult> GitAsync(string repository, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(new CommandSpec { Program = "git", Arguments = ["-C", repository, .. arguments], Timeout = GitTimeout, MaxOutputChars = 64 * 1024 }, cancellationToken);

    private static string Said(CommandResult result)
    {
        var lines = result.Combined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + string.Join(" | ", lines.TakeLast(5));
    }
}

/// <summary>The embedded servers of one commit, built.</summary>
/// <param name="Revision">What the setting said: <c>main</c>, <c>HEAD~3</c>, a hash.</param>
/// <param name="Commit">The commit it named.</param>
/// <param name="Directory">The build's output.</param>
public sealed record BuiltCommit(string Revision, string Commit, string Directory)
{
    /// <summary>The commit's short form, for sentences.</summary>
    public string Abbreviated => Commit[..Math.Min(10, Commit.Length)];

    /// <summary>The server executable the build must hold.</summary>
    public string Executable => Path.Combine(Directory, OperatingSystem.IsWindows() ? "TestBench.LocalCluster.exe" : "TestBench.LocalCluster");

    /// <summary>How to start servers of this build on <paramref name="cpus"/>.</summary>
    public ServerLaunch Launch(string? cpus) => new() { Cpus = cpus, BuildDirectory = Directory };

    public override string ToString() => Revision == Commit ? Abbreviated : $"{Revision} ({Abbreviated})";
}
