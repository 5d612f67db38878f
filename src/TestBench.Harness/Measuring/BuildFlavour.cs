using System.Diagnostics;
using System.Reflection;

namespace TestBench.Harness.Measuring;

/// <summary>
/// How a part of the measured path was compiled, and whether a coverage tool rewrote it. A benchmark of
/// unoptimized or instrumented code measures the tooling rather than the platform, so such a run says so
/// (as BenchmarkDotNet refuses Debug builds).
/// </summary>
public sealed record BuildFlavour(string Component, bool Optimized, bool Instrumented)
{
    /// <summary>The flavour of <paramref name="assembly"/>: optimized unless its <see cref="DebuggableAttribute"/>
    /// disables the JIT optimizer; instrumented when coverlet added its hit tracker to it.</summary>
    public static BuildFlavour Of(Assembly assembly, string component)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var optimized = assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
        var instrumented = assembly.GetTypes().Any(t => t.Namespace?.StartsWith("Coverlet.Core.Instrumentation.Tracker", StringComparison.Ordinal) == true);
        return new BuildFlavour(component, optimized, instrumented);
    }

    /// <summary>Whether a measurement through this part is trustworthy as far as its build goes.</summary>
    public bool IsFitToMeasure => Optimized && !Instrumented;

    /// <summary>The warning for a run that measures this part, e.g. "the destination cluster is an unoptimized
    /// (Debug) build"; <see langword="null"/> when it is fit to measure.</summary>
    public string? Caveat => IsFitToMeasure
        ? null
        : $"{Component} is {(Optimized ? "" : "an unoptimized (Debug) build")}{(Optimized || !Instrumented ? "" : " and ")}{(Instrumented ? "coverage-instrumented" : "")}: its timings are not the platform's";
}
