using System.Globalization;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Isolation;

/// <summary>
/// What isolation sandboxed code actually gets, as seen from inside by a probe: its uid, capabilities, the namespaces it
/// does not share with the server, and its limits. A server prints it at start and never claims more than it shows.
/// </summary>
public sealed record IsolationReport
{
    private static readonly string[] Namespaces = ["user", "mnt", "pid", "ipc", "uts", "net", "cgroup"];

    // Without these three of its own, the code could reach the server's files, processes or privileges.
    private static readonly string[] RequiredNamespaces = ["user", "mnt", "pid"];

    /// <summary>The probe: plain shell and grep, so that it runs in any sandbox this class could be asked about.</summary>
    internal static CommandSpec ProbeCommand { get; } = new()
    {
        Program = "/bin/sh",
        Arguments =
        [
            "-c",
            "grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs):' /proc/self/status; " +
            "for n in " + string.Join(' ', Namespaces) + "; do echo \"ns $n $(readlink /proc/self/ns/$n)\"; done; " +
            "grep -E '^Max (processes|open files|address space|file size) ' /proc/self/limits",
        ],
        IsolateEnvironment = true,
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The uid the code has (the real one; all four were the same when probed).</summary>
    public required int Uid { get; init; }

    /// <summary>Whether that uid is the dedicated one of a root server.</summary>
    public required bool DedicatedUid { get; init; }

    /// <summary>The effective capabilities, as <c>/proc/self/status</c> prints them (hex).</summary>
    public required string EffectiveCapabilities { get; init; }

    /// <summary>The bounding set: what the code could ever regain.</summary>
    public required string BoundingCapabilities { get; init; }

    /// <summary>Whether no_new_privs is set.</summary>
    public required bool NoNewPrivileges { get; init; }

    /// <summary>The namespaces the code does not share with the server (user, mnt, pid, …).</summary>
    public required IReadOnlyList<string> OwnNamespaces { get; init; }

    /// <summary>The limits <c>/proc/self/limits</c> showed, as "name soft-limit".</summary>
    public required IReadOnlyList<string> Limits { get; init; }

    /// <summary>Why this is not a sandbox worth the name; <see langword="null"/> when it holds.</summary>
    public string? Shortfall
    {
        get
        {
            List<string> problems = [];
            if (Uid == 0)
            {
                problems.Add("the code runs as uid 0");
            }

            if (!IsZero(EffectiveCapabilities) || !IsZero(BoundingCapabilities))
            {
                problems.Add($"the code keeps capabilities (CapEff {EffectiveCapabilities}, CapBnd {BoundingCapabilities})");
            }

            if (!NoNewPrivileges)
            {
                problems.Add("no_new_privs is not set");
            }

            var missing = RequiredNamespaces.Except(OwnNamespaces, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"the code shares the server's {string.Join(", ", missing)} namespace(s)");
            }

            return problems.Count == 0 ? null : "the sandbox would not hold: " + string.Join("; ", problems);
        }
    }

    /// <summary>Reads the probe's output.</summary>
    /// <exception cref="InvalidOperationException">The probe printed something else.</exception>
    /// <param name="probeOutput">What <see cref="ProbeCommand"/> printed inside the sandbox.</param>
    /// <param name="dedicatedUid">Whether the sandbox runs code as a root server's dedicated uid.</param>
    internal static IsolationReport Parse(string probeOutput, bool dedicatedUid)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var own = new List<string>();
        var limits = new List<string>();
        foreach (var line in probeOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("ns ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length == 3 && parts[2] != ServerNamespace(parts[1]))
                {
                    own.Add(parts[1]);
                }
            }
            else if (line.StartsWith("Max ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                limits.Add($"{string.Join(' ', parts[1..^3])} {parts[^3]}");
            }
            else if (line.Split(':', 2) is [var name, var value])
            {
                fields[name] = value.Trim();
            }
        }

        string Field(string name) => fields.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"The sandbox probe printed no {name}: {probeOutput.Trim()}");

        var uids = Field("Uid").Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
        return new IsolationReport
        {
            Uid = int.Parse(uids[0], CultureInfo.InvariantCulture),
            DedicatedUid = dedicatedUid,
            EffectiveCapabilities = Field("CapEff"),
            BoundingCapabilities = Field("CapBnd"),
            NoNewPrivileges = Field("NoNewPrivs") == "1",
            OwnNamespaces = own,
            Limits = limits,
        };
    }

    /// <summary>One line for the server's start.</summary>
    public override string ToString()
    {
        var who = DedicatedUid ? "a uid of its own, as the server runs as root" : "the server's user";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Sandbox (bubblewrap): algorithm code runs as uid {Uid} ({who}) with capabilities {EffectiveCapabilities} (bounding set {BoundingCapabilities}), " +
            $"no_new_privs {(NoNewPrivileges ? "set" : "NOT set")}, in its own {string.Join(", ", OwnNamespaces)} namespace(s)" +
            $"{(OwnNamespaces.Contains("net") ? "" : "; the network is the server's (loopback reachable)")}; limits: {string.Join(", ", Limits)}.");
    }

    private static bool IsZero(string hex) => hex.Trim().All(digit => digit == '0');

    private static string? ServerNamespace(string name)
    {
        try
        {
            return new FileInfo($"/proc/self/ns/{name}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
