using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Isolation;

/// <summary>
/// Runs algorithm code — workers and build steps — inside bubblewrap (<c>bwrap</c>): the system's programs and
/// libraries read-only, a private <c>/tmp</c>, <c>/proc</c> and <c>/dev</c>, and only the folders named for this
/// command; nothing else of the file system — not the cluster's data directory, its keys, other builds or other
/// users' data. A PID namespace ends every process the code started when it exits, and the sandbox dies with the
/// server. The network is shared: algorithms reach the cluster's API on 127.0.0.1 with their caller's key.
/// </summary>
public sealed class Sandbox
{
    /// <summary>Where Debian's bubblewrap package installs it.</summary>
    public const string BubblewrapPath = "/usr/bin/bwrap";

    // What Python and its libraries read from /etc; no secrets live there.
    private static readonly string[] SystemFiles =
    [
        "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf",
        "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/mime.types", "/etc/python3", "/etc/python3.11", "/etc/pip.conf",
    ];

    private static readonly string[] RootLinks = ["/bin", "/sbin", "/lib", "/lib64", "/lib32"];

    private readonly string bubblewrap;

    private Sandbox(string bubblewrap) => this.bubblewrap = bubblewrap;

    /// <summary>The sandbox of this machine, or none (with the reason) when bubblewrap is missing or cannot run here.</summary>
    public static async Task<SandboxChoice> DetectAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(BubblewrapPath))
        {
            return new SandboxChoice(null, $"{BubblewrapPath} is missing (Debian package bubblewrap)");
        }

        var sandbox = new Sandbox(BubblewrapPath);
        try
        {
            var probe = sandbox.Wrap(new CommandSpec { Program = "/usr/bin/true", Timeout = TimeSpan.FromSeconds(20) }, readOnly: [], writable: []);
            var result = await ExternalCommand.RunAsync(probe, cancellationToken).ConfigureAwait(false);
            return result.Succeeded ? new SandboxChoice(sandbox, null) : new SandboxChoice(null, $"bwrap cannot create a sandbox here: {result.Combined.Trim()}");
        }
        catch (InvalidOperationException e)
        {
            return new SandboxChoice(null, e.Message);
        }
    }

    /// <summary>
    /// The same command inside the sandbox. Its working directory and environment are kept (the environment is the
    /// command's own: an isolated one stays isolated).
    /// </summary>
    /// <param name="command">What to run.</param>
    /// <param name="readOnly">Folders the code may read, at the same paths (missing ones are skipped).</param>
    /// <param name="writable">Folders the code may also write.</param>
    public CommandSpec Wrap(CommandSpec command, IEnumerable<string> readOnly, IEnumerable<string> writable)
    {
        ArgumentNullException.ThrowIfNull(command);
        // --die-with-parent is PR_SET_PDEATHSIG: it fires when the *thread* that started the sandbox ends, so every
        // process is started from ExternalCommand's one long-lived launcher thread (a thread-pool thread that the pool
        // retired killed its workers mid-call, exit 137).
        List<string> arguments =
        [
            "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--new-session",
            "--ro-bind", "/usr", "/usr",
        ];
        foreach (var link in RootLinks)
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, link]);
            }
            else if (Directory.Exists(link))
            {
                arguments.AddRange(["--ro-bind", link, link]);
            }
        }

        foreach (var file in SystemFiles)
        {
            arguments.AddRange(["--ro-bind-try", file, file]);
        }

        arguments.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var folder in readOnly.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            arguments.AddRange(["--ro-bind-try", folder, folder]);
        }

        foreach (var folder in writable.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            arguments.AddRange(["--bind-try", folder, folder]);
        }

        if (command.WorkingDirectory is { } directory)
        {
            arguments.AddRange(["--chdir", Path.GetFullPath(directory)]);
        }

        arguments.Add("--");
        arguments.Add(command.Program);
        arguments.AddRange(command.Arguments);
        return command with { Program = bubblewrap, Arguments = arguments };
    }

    /// <summary>
    /// Where an interpreter really lives, for the read-only folders of <see cref="Wrap"/>: a virtual environment's <c>python</c> links
    /// to its base interpreter, whose installation outside <c>/usr</c> must be visible too.
    /// </summary>
    public static IEnumerable<string> InterpreterFolders(string python)
    {
        var resolved = new FileInfo(python).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(python);
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(resolved));
        return prefix is null || prefix == "/usr" || prefix.StartsWith("/usr/", StringComparison.Ordinal) ? [] : [prefix];
    }
}
