using System.Formats.Tar;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Storage;

/// <summary>
/// One bare git repository per algorithm under <c>&lt;data&gt;/git/&lt;owner&gt;/&lt;name&gt;.git</c>, driven through the
/// <c>git</c> command line. New repositories start with a hello-world <c>src/</c>, because clients (like the
/// original tool) clone and then replace <c>src/</c>.
/// </summary>
public sealed class GitRepositories(string dataDirectory)
{
    /// <summary>The branch builds are made from.</summary>
    public const string Branch = "master";

    /// <summary>The folder <c>git http-backend</c> serves (its <c>GIT_PROJECT_ROOT</c>).</summary>
    public string Root { get; } = Path.Combine(dataDirectory, "git");

    public string PathOf(string owner, string name) => Path.Combine(Root, owner, name + ".git");

    /// <summary>Creates the bare repository with its first commit.</summary>
    public async Task CreateAsync(string owner, string name, CancellationToken cancellationToken)
    {
        var repository = PathOf(owner, name);
        Directory.CreateDirectory(Path.GetDirectoryName(repository)!);
        await RunAsync(Root, cancellationToken, "init", "--quiet", "--bare", "--initial-branch", Branch, repository).ConfigureAwait(false);
        await RunAsync(repository, cancellationToken, "config", "http.receivepack", "true").ConfigureAwait(false);
        // Every pushed object is checked (a tree entry named "..", a path with ".git", malformed objects): the push is
        // refused with git's own words naming the object, instead of a build that fails later on an unreadable tree.
        await RunAsync(repository, cancellationToken, "config", "receive.fsckObjects", "true").ConfigureAwait(false);

        var seed = Directory.CreateTempSubdirectory("testbench-seed-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(seed, "src"));
            await File.WriteAllTextAsync(Path.Combine(seed, "src", name + ".py"), "def apply(input):\n    return \"hello {}\".format(input)\n", cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(seed, "src", "__init__.py"), "", cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(seed, "requirements.txt"), "", cancellationToken).ConfigureAwait(false);
            await RunAsync(seed, cancellationToken, "init", "--quiet", "--initial-branch", Branch).ConfigureAwait(false);
            await RunAsync(seed, cancellationToken, "add", ".").ConfigureAwait(false);
            await RunAsync(seed, cancellationToken, "-c", "user.name=TestBench", "-c", "user.email=testbench@localhost", "commit", "--quiet", "-m", "Initial commit").ConfigureAwait(false);
            await RunAsync(seed, cancellationToken, "push", "--quiet", repository, Branch).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }
    }

    /// <summary>The commit the branch points at.</summary>
    public async Task<string> HeadAsync(string owner, string name, CancellationToken cancellationToken) =>
        (await RunAsync(PathOf(owner, name), cancellationToken, "rev-parse", "refs/heads/" + Branch).ConfigureAwait(false)).Trim();

    /// <summary>Writes the tree of <paramref name="sha"/> into <paramref name="target"/> (via <c>git archive</c>).</summary>
    public async Task ExportAsync(string owner, string name, string sha, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        using var process = ExternalCommand.Start(Git(PathOf(owner, name), "archive", "--format=tar", sha));
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await TarFile.ExtractToDirectoryAsync(process.StandardOutput.BaseStream, target, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git archive {sha} of {owner}/{name} failed: {await errors.ConfigureAwait(false)}");
        }
    }

    public void Delete(string owner, string name)
    {
        var repository = PathOf(owner, name);
        if (Directory.Exists(repository))
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        Directory.CreateDirectory(workingDirectory);
        var spec = Git(workingDirectory, arguments);
        var result = await ExternalCommand.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? result.Output
            : throw new InvalidOperationException($"{spec} failed ({result.ExitCode}): {result.Errors}");
    }

    /// <summary>A git command that ignores the machine's and user's configuration, so repositories behave the same everywhere.</summary>
    private static CommandSpec Git(string workingDirectory, params string[] arguments) => new()
    {
        Program = "git",
        Arguments = arguments,
        WorkingDirectory = workingDirectory,
        Environment = new Dictionary<string, string> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_TERMINAL_PROMPT"] = "0" },
    };
}
