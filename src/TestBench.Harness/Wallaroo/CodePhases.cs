using System.Globalization;

namespace TestBench.Harness.Wallaroo;

/// <summary>
/// Where a run's code spent its time, by the task's own clock: the generated <c>main.py</c> prints the time after
/// <see cref="OrchestrationPackage.StartedMarker"/>, <see cref="LoadedMarker"/> (the algorithm imported and its
/// <c>load()</c> done) and <see cref="AppliedMarker"/> (<c>apply</c> returned). Unlike the log timestamps, which are
/// when the service read each line, these cannot carry the service's own delays — so a slow run says whether the code
/// or the platform around it was slow.
/// </summary>
public sealed record CodePhases
{
    public const string LoadedMarker = "TESTBENCH_LOADED";

    public const string AppliedMarker = "TESTBENCH_APPLIED";

    /// <summary>Seconds from the code's first line to the algorithm imported and loaded.</summary>
    public required double LoadSeconds { get; init; }

    /// <summary>Seconds <c>apply</c> took.</summary>
    public required double ApplySeconds { get; init; }

    /// <summary>The phases in a run's CRI log lines; <see langword="null"/> when a marker or its clock is missing
    /// (an orchestration uploaded as it is prints none).</summary>
    public static CodePhases? Of(IReadOnlyList<string> logLines)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        return ClockAt(logLines, OrchestrationPackage.StartedMarker) is { } started
            && ClockAt(logLines, LoadedMarker) is { } loaded
            && ClockAt(logLines, AppliedMarker) is { } applied
            && started <= loaded && loaded <= applied
            ? new CodePhases { LoadSeconds = loaded - started, ApplySeconds = applied - loaded }
            : null;
    }

    /// <summary>The Unix time printed after <paramref name="marker"/> on the first stdout line that carries it.</summary>
    private static double? ClockAt(IReadOnlyList<string> logLines, string marker)
    {
        var prefix = $" stdout F {marker} ";
        foreach (var line in logLines)
        {
            var at = line.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                return double.TryParse(line.AsSpan(at + prefix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var clock) ? clock : null;
            }
        }

        return null;
    }
}
