using System.Globalization;

namespace TestBench.LocalCluster.Isolation;

/// <summary>
/// What one sandboxed command — a build step, a worker, a Racetrack job, a Wallaroo run — may use: the same numbers on
/// every stand-in. This machine has no cgroup v2 controllers to delegate (its cgroup v2 hierarchy is empty and v1 is
/// mounted), so memory is bounded per process (RLIMIT_AS) and processes per sandbox (RLIMIT_NPROC, which Linux counts per
/// user namespace): a process tree can hold at most <see cref="MemoryBytes"/> × <see cref="Processes"/>.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>The limits every stand-in uses unless told otherwise.</summary>
    public static SandboxLimits Default { get; } = new();

    /// <summary>Address space of each process (RLIMIT_AS); an allocation beyond it fails inside the code (Python's MemoryError). <value>Default 2 GiB.</value></summary>
    public long MemoryBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Processes and threads of the sandbox together (RLIMIT_NPROC in its own user namespace). <value>Default 128.</value></summary>
    public int Processes { get; init; } = 128;

    /// <summary>Open files per process (RLIMIT_NOFILE). <value>Default 1024.</value></summary>
    public int OpenFiles { get; init; } = 1024;

    /// <summary>The largest file the code may write anywhere (RLIMIT_FSIZE). <value>Default 512 MiB.</value></summary>
    public long FileSizeBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The size of the private <c>/tmp</c> and of <c>/dev/shm</c>, each a tmpfs of its own. <value>Default 512 MiB.</value></summary>
    public long TempBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// How much of what a build step or a run prints the server keeps: the last this many characters, with a count of the
    /// rest (a worker's printed output has its own per-call limit). <value>Default 1 MiB.</value>
    /// </summary>
    public int OutputChars { get; init; } = 1024 * 1024;

    /// <summary>These limits with another per-process memory bound (a cluster's <c>--worker-memory-mb</c>).</summary>
    public SandboxLimits WithMemory(long? bytes) => bytes is { } memory ? this with { MemoryBytes = memory } : this;

    /// <summary>util-linux <c>prlimit</c>'s arguments that set these limits (soft and hard) for the command after them.</summary>
    public IEnumerable<string> PrlimitArguments() =>
    [
        $"--as={Format(MemoryBytes)}", $"--nproc={Format(Processes)}", $"--nofile={Format(OpenFiles)}", $"--fsize={Format(FileSizeBytes)}", "--core=0",
    ];

    /// <summary>One line for the start-up report and the docs.</summary>
    public override string ToString() =>
        $"memory {Mebibytes(MemoryBytes)} per process, {Processes} processes and threads, {OpenFiles} open files, files up to {Mebibytes(FileSizeBytes)}, /tmp and /dev/shm {Mebibytes(TempBytes)} each, output kept {Mebibytes(OutputChars)}";

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");
}
