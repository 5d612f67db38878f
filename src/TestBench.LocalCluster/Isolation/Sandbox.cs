using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Isolation;

/// <summary>
/// Runs algorithm code — build steps, workers, Racetrack jobs, Wallaroo runs — inside bubblewrap (<c>bwrap</c>), one policy
/// for all: the system's programs and libraries read-only, a private <c>/tmp</c>, <c>/dev/shm</c>, <c>/proc</c> and
/// <c>/dev</c>, and only the paths named for this command; a user namespace of its own with an unprivileged uid
/// (<see cref="SandboxAccount"/>), no capability, no new privileges and no further user namespaces — so no packet or raw
/// socket, no mount, no <c>open_by_handle_at</c>; a PID namespace that ends every process the code started when the
/// command ends; and <see cref="SandboxLimits"/>. The network is shared: algorithms reach the cluster's API on
/// 127.0.0.1 with their caller's credential.
/// </summary>
public sealed class Sandbox
{
    /// <summary>Where Debian's bubblewrap package installs it.</summary>
    public const string BubblewrapPath = "/usr/bin/bwrap";

    /// <summary>util-linux's setpriv and prlimit, which every Debian system has.</summary>
    private const string SetprivPath = "/usr/bin/setpriv";

    private const string PrlimitPath = "/usr/bin/prlimit";

    // What Python and its libraries read from /etc; no secrets live there.
    private static readonly string[] SystemFiles =
    [
        "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf",
        "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/mime.types", "/etc/python3", "/etc/python3.11", "/etc/pip.conf",
    ];

    private static readonly string[] RootLinks = ["/bin", "/sbin", "/lib", "/lib64", "/lib32"];

    private readonly string bubblewrap;

    private Sandbox(string bubblewrap, SandboxAccount account, SandboxLimits limits)
    {
        this.bubblewrap = bubblewrap;
        Account = account;
        Limits = limits;
    }

    /// <summary>Who the code runs as.</summary>
    public SandboxAccount Account { get; }

    /// <summary>What each command may use unless it is given its own limits.</summary>
    public SandboxLimits Limits { get; }

    /// <summary>
    /// The sandbox of this machine, checked from inside: a probe reports its uid, capabilities, namespaces and limits. There
    /// is none (with the reason) when bubblewrap, setpriv or prlimit is missing, cannot run here, or the probe shows the
    /// code would keep a privilege.
    /// </summary>
    public static async Task<SandboxChoice> DetectAsync(CancellationToken cancellationToken, SandboxLimits? limits = null)
    {
        foreach (var program in (string[])[BubblewrapPath, SetprivPath, PrlimitPath])
        {
            if (!File.Exists(program))
            {
                return SandboxChoice.None($"{program} is missing (Debian packages bubblewrap and util-linux)");
            }
        }

        var sandbox = new Sandbox(BubblewrapPath, SandboxAccount.ForCurrentUser(), limits ?? SandboxLimits.Default);
        try
        {
            var probe = sandbox.Wrap(IsolationReport.ProbeCommand, readOnly: [], writable: []);
            var result = await ExternalCommand.RunAsync(probe, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return SandboxChoice.None($"bwrap cannot create a sandbox here: {result.Combined.Trim()}");
            }

            var report = IsolationReport.Parse(result.Output, sandbox.Account.IsDedicated);
            return report.Shortfall is { } shortfall ? SandboxChoice.None(shortfall) : new SandboxChoice(sandbox, report, null);
        }
        catch (InvalidOperationException e)
        {
            return SandboxChoice.None(e.Message);
        }
    }

    /// <summary>
    /// The same command inside the sandbox. Its working directory and environment are kept (the environment is the
    /// command's own: an isolated one stays isolated). Paths that do not exist are skipped.
    /// </summary>
    /// <param name="command">What to run.</param>
    /// <param name="readOnly">Folders or files the code may read, at the same paths.</param>
    /// <param name="writable">Folders the code may also write; under a root server they are handed to the sandbox's uid.</param>
    /// <param name="limits">This command's limits; <see cref="Limits"/> when none.</param>
    public CommandSpec Wrap(CommandSpec command, IEnumerable<string> readOnly, IEnumerable<string> writable, SandboxLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var readable = readOnly.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var writableFolders = writable.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        foreach (var folder in writableFolders.Where(Directory.Exists))
        {
            Account.GrantWrite(folder);
        }

        var own = limits ?? Limits;
        List<string> arguments = [.. MountNamespace(readable, writableFolders, own), .. ProcessNamespaces()];
        if (command.WorkingDirectory is { } directory)
        {
            arguments.AddRange(["--chdir", Path.GetFullPath(directory)]);
        }

        arguments.Add("--");
        arguments.AddRange(DropPrivileges());
        arguments.AddRange([PrlimitPath, .. own.PrlimitArguments(), "--", command.Program, .. command.Arguments]);
        return command with { Program = bubblewrap, Arguments = arguments, MaxOutputChars = Math.Min(command.MaxOutputChars, own.OutputChars) };
    }

    /// <summary>
    /// Where a base interpreter really lives, for the read-only folders of <see cref="Wrap"/>: a virtual environment's
    /// <c>python</c> links to it, and its installation outside <c>/usr</c> must be visible too. Pass the interpreter the
    /// server was configured with, never a virtual environment's: code that could write the environment could point its
    /// link anywhere, and the server would show the code that place.
    /// </summary>
    /// <exception cref="InvalidOperationException">The installation folder is too broad to show (<c>/</c>, <c>/etc</c>, <c>/root</c>).</exception>
    public static IEnumerable<string> InterpreterFolders(string baseInterpreter)
    {
        var path = Path.IsPathRooted(baseInterpreter) ? baseInterpreter : OnPath(baseInterpreter);
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(resolved));
        if (prefix is null || prefix == "/usr" || prefix.StartsWith("/usr/", StringComparison.Ordinal))
        {
            return [];
        }

        // An installation lives at least two folders deep (/opt/python3.11, ~/.pyenv/versions/3.11.7).
        return prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Length >= 2
            ? [prefix]
            : throw new InvalidOperationException($"{baseInterpreter} leads to {resolved}: its installation folder {prefix} is too broad to show to sandboxed code");
    }

    private static string OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists) ?? program;

    private static List<string> MountNamespace(List<string> readable, List<string> writable, SandboxLimits limits)
    {
        List<string> arguments = ["--ro-bind", "/usr", "/usr"];
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

        // bwrap makes the missing parents of a mount point 0700 and root's: the unprivileged code could not pass them.
        arguments.AddRange(["--dir", "/etc"]);
        foreach (var file in SystemFiles)
        {
            arguments.AddRange(["--ro-bind-try", file, file]);
        }

        // Private temporary space, bounded, writable by whoever the code is (sticky, as a real /tmp).
        var temp = limits.TempBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", temp, "--tmpfs", "/tmp", "--perms", "1777", "--size", temp, "--tmpfs", "/dev/shm"]);

        foreach (var parent in readable.Concat(writable).SelectMany(Ancestors).Distinct(StringComparer.Ordinal).OrderBy(path => path.Length))
        {
            arguments.AddRange(["--dir", parent]);
        }

        foreach (var path in readable)
        {
            arguments.AddRange(["--ro-bind-try", path, path]);
        }

        foreach (var folder in writable)
        {
            arguments.AddRange(["--bind-try", folder, folder]);
        }

        return arguments;
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    private List<string> ProcessNamespaces()
    {
        // --die-with-parent is PR_SET_PDEATHSIG: it fires when the *thread* that started the sandbox ends, so every
        // process is started from ExternalCommand's one long-lived launcher thread (a thread-pool thread that the pool
        // retired killed its workers mid-call, exit 137).
        List<string> arguments = ["--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--new-session"];
        if (!Account.IsDedicated)
        {
            // An ordinary user's bwrap makes the user namespace itself and keeps no capability in it.
            arguments.AddRange(["--unshare-user", "--disable-userns"]);
        }

        return arguments;
    }

    /// <summary>
    /// Under a root server, bwrap itself keeps root's capabilities to build the mounts; the code must not. setpriv becomes
    /// the dedicated uid with an empty bounding set, and a second, unprivileged bwrap gives it a user namespace of its own
    /// (so its process limit counts only its own processes) in which no further user namespace can be made.
    /// </summary>
    private IEnumerable<string> DropPrivileges()
    {
        if (!Account.IsDedicated)
        {
            return [];
        }

        var uid = Account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            SetprivPath, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--",
            BubblewrapPath, "--unshare-user", "--disable-userns", "--die-with-parent", "--dev-bind", "/", "/", "--",
        ];
    }
}
