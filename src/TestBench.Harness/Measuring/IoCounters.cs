using System.Globalization;

namespace TestBench.Harness.Measuring;

/// <summary>
/// This machine's cumulative I/O stall time (Linux pressure stall information, <c>/proc/pressure/io</c>, "some") and
/// page-cache refaults (<c>/proc/vmstat</c>, <c>workingset_refault_file</c>: evicted file pages read again). The CI
/// machine's page cache is reclaimed while memory is free (docs/benchmarks.md), so a process start or a file read can
/// wait on the disk in one run and not in the next — which neither the CPU calibration nor the wake-up probe sees.
/// Taken around a test's trials, the difference is recorded beside the noise reading.
/// </summary>
public readonly record struct IoCounters(long StallMicroseconds, long RefaultedPages)
{
    private const string PressureFile = "/proc/pressure/io";
    private const string VmStatFile = "/proc/vmstat";

    /// <summary>The counters now; <see langword="null"/> where the kernel does not expose them (not Linux, or no PSI).</summary>
    public static IoCounters? Read()
    {
        try
        {
            return File.Exists(PressureFile) && File.Exists(VmStatFile) ? Parse(File.ReadAllText(PressureFile), File.ReadAllText(VmStatFile)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The counters in the two files' text; <see langword="null"/> when either lacks its line or holds no whole number there.</summary>
    public static IoCounters? Parse(string pressure, string vmStat)
    {
        ArgumentNullException.ThrowIfNull(pressure);
        ArgumentNullException.ThrowIfNull(vmStat);
        var stall = pressure.Split('\n')
            .Where(line => line.StartsWith("some ", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(field => field.StartsWith("total=", StringComparison.Ordinal))?["total=".Length..];
        var refaults = vmStat.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(fields => fields is ["workingset_refault_file", _])?[1];
        return long.TryParse(stall, NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            && long.TryParse(refaults, NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? new IoCounters(micros, pages)
            : null;
    }

    /// <summary>What happened between <paramref name="start"/> and this later reading.</summary>
    public IoActivity Since(IoCounters start) => new()
    {
        StallMs = Math.Round(Math.Max(0, StallMicroseconds - start.StallMicroseconds) / 1000.0, 1),
        RefaultedMebibytes = Math.Round(Math.Max(0, RefaultedPages - start.RefaultedPages) * (double)Environment.SystemPageSize / (1024 * 1024), 1),
    };
}
