using System.Runtime.InteropServices;

namespace TestBench.LocalCluster.Isolation;

/// <summary>
/// The user sandboxed code runs as. A server started by an ordinary user runs code as that user inside a user
/// namespace of its own (the kernel gives it no capability over anything outside). A server started as root runs it as
/// <see cref="DedicatedUid"/>, a uid no account on the machine has, so that the code owns none of the server's files; the
/// folders it may write are handed to that uid first.
/// </summary>
public sealed partial record SandboxAccount
{
    /// <summary>
    /// The uid of sandboxed code under a root server: far above the ranges Debian, systemd (61184–65519) and subordinate
    /// uid blocks (100000 + 65536·k, for the first thousands of users) hand out.
    /// </summary>
    public const int DedicatedUid = 1_610_612_736;

    private SandboxAccount(int uid, bool isDedicated)
    {
        Uid = uid;
        IsDedicated = isDedicated;
    }

    /// <summary>The uid the code runs as, inside its namespace and out.</summary>
    public int Uid { get; }

    /// <summary>Whether the code runs as <see cref="DedicatedUid"/> (the server is root) rather than as the server's own user.</summary>
    public bool IsDedicated { get; }

    /// <summary>The account for a server running as the current user.</summary>
    public static SandboxAccount ForCurrentUser()
    {
        var uid = (int)GetEffectiveUid();
        return uid == 0 ? new SandboxAccount(DedicatedUid, isDedicated: true) : new SandboxAccount(uid, isDedicated: false);
    }

    /// <summary>
    /// Lets the code write <paramref name="path"/> and everything under it: under a root server, the dedicated uid
    /// becomes their owner (links are changed themselves, never followed); under an ordinary user, they are already the code's.
    /// </summary>
    public void GrantWrite(string path)
    {
        if (!IsDedicated)
        {
            return;
        }

        ChangeOwner(path);
        if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", everything))
            {
                ChangeOwner(entry);
            }
        }
    }

    private void ChangeOwner(string path)
    {
        if (ChangeLinkOwner(path, (uint)Uid, (uint)Uid) != 0)
        {
            throw new IOException($"Handing {path} to the sandbox's uid {Uid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChangeLinkOwner(string path, uint owner, uint group);
}
