using System.Text;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Processes;

namespace TestBench.Harness.Export;

/// <summary>
/// Pushes a package to an algorithm's repository with the git CLI, like the original tool: clone, replace the
/// tree, commit, push (which starts the build). Credentials travel in an <c>Authorization</c> header set
/// through git's environment, never in a URL or an argument, and every output shown is redacted.
/// </summary>
internal sealed class GitPublisher(ExportTarget target)
{
    /// <summary>Commits <paramref name="package"/> as the whole tree and pushes it.</summary>
    /// <returns>The commit now at the head, and whether a new one was pushed (an unchanged tree pushes nothing).</returns>
    public async Task<(string Sha, bool Pushed)> PublishAsync(Uri repository, string user, string key, string package, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("testbench-push-").FullName;
        try
        {
            var clone = Path.Combine(work, "repo");
            await GitAsync(work, user, key, cancellationToken, "clone", "--quiet", repository.ToString(), clone).ConfigureAwait(false);
            foreach (var entry in Directory.EnumerateFileSystemEntries(clone).Where(e => Path.GetFileName(e) != ".git"))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }

            foreach (var file in Directory.EnumerateFiles(package, "*", SearchOption.AllDirectories))
            {
                var destination = Path.Combine(clone, Path.GetRelativePath(package, file));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }

            await GitAsync(clone, user, key, cancellationToken, "add", "--all").ConfigureAwait(false);
            var changes = await GitAsync(clone, user, key, cancellationToken, "status", "--porcelain").ConfigureAwait(false);
            if (changes.Trim().Length > 0)
            {
                await GitAsync(clone, user, key, cancellationToken, "-c", "user.name=TestBench", "-c", "user.email=testbench@localhost", "commit", "--quiet", "-m", "automatic initialization commit").ConfigureAwait(false);
                await GitAsync(clone, user, key, cancellationToken, "push", "--quiet", "origin", "HEAD").ConfigureAwait(false);
            }

            var sha = (await GitAsync(clone, user, key, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
            return (sha, changes.Trim().Length > 0);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<string> GitAsync(string directory, string user, string key, CancellationToken cancellationToken, params string[] arguments)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}"));
        var spec = new CommandSpec
        {
            Program = "git",
            Arguments = arguments,
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string>
            {
                ["GIT_TERMINAL_PROMPT"] = "0",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
                ["GIT_CONFIG_GLOBAL"] = "/dev/null",
                ["GIT_CONFIG_COUNT"] = "1",
                ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
                ["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic,
            },
        };
        var result = await ExternalCommand.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var said = new SecretRedactor([key, basic]).Redact(target.Redactor.Redact(result.Errors));
            throw new InvalidOperationException($"git {arguments[0]} failed with exit code {result.ExitCode}: {said.Trim()}");
        }

        return result.Output;
    }
}
