using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace TestBench.Harness.Measuring;

/// <summary>
/// A fixed CPU-bound workload timed in-process, which only changes when the machine does: 7 repetitions of an
/// integer loop of about 10 ms each on the CI machine (70 ms in all). Each repetition is longer than a scheduler
/// slice, so CPU taken by other processes shows in its median: with two busy neighbours on 2 cores, medians of
/// 15–22 ms against 9.9–10.4 ms quiet (see docs/benchmarks.md). Shorter repetitions hid it: only their rare
/// pre-empted ones moved. Beside it, <see cref="WakeLatency"/>: 25 wake-ups of a blocked thread (about 30 ms).
/// </summary>
public static class Calibration
{
    private const int Repetitions = 7;
    private const int LoopIterations = 6_000_000;
    private const int WakePings = 25;

    /// <summary>Consumed so the JIT cannot drop the loop.</summary>
    private static long sink;

    public static CalibrationSample Measure(RunIdentity run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cpu = new double[Repetitions];
        Interlocked.Add(ref sink, Spin(LoopIterations / 10));
        for (var i = 0; i < Repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            Interlocked.Add(ref sink, Spin(LoopIterations));
            cpu[i] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        }

        return new CalibrationSample { CpuMs = cpu, WakeMs = WakeLatency.Measure(WakePings), MeasuredAt = run.At, Machine = run.Machine };
    }

    /// <summary>xorshift: dependent integer operations, no memory traffic, nothing to vectorise. Compiled fully
    /// optimized at once, so tiered compilation cannot make early calibrations slower than later ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static long Spin(int iterations)
    {
        ulong x = 88172645463325252;
        for (var i = 0; i < iterations; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return (long)(x & 0xFF);
    }
}
