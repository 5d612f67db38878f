namespace TestBench.Harness.Measuring;

/// <summary>
/// A readable description of the hardware a sample was measured on, e.g. <c>2 cores, AMD EPYC 7B13, 24 GiB, Linux</c>:
/// samples of different machines differ by more than any threshold, so a bar compared on another machine says so.
/// </summary>
public static class MachineFingerprint
{
    public static string Current { get; } = Describe();

    private static string Describe()
    {
        var memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024));
        return $"{Environment.ProcessorCount} cores, {CpuModel()}, {memoryGiB:0} GiB, {(OperatingSystem.IsLinux() ? "Linux" : Environment.OSVersion.Platform.ToString())}";
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.IsNullOrEmpty(model) ? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString() : model;
    }
}
