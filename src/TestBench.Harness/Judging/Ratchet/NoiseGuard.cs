using TestBench.Harness.Measuring;
namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// Compares the calibrations taken during a test with the bar file's baseline: the machine is disturbed when the
/// worst reading's median is slower than the baseline's by more than <see cref="VerdictPolicy.MaxCalibrationSlowdown"/>
/// (the worst, because a busy neighbour sometimes leaves a quiet window).
/// A baseline measured on another machine is not compared (its timings say nothing about this one).
/// </summary>
public sealed class NoiseGuard(CalibrationSample? baseline, VerdictPolicy policy)
{
    public NoiseReading Assess(IReadOnlyList<CalibrationSample> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(policy);
        double[] wakes = [.. readings.Where(r => r.WakeMs.Count > 0).Select(r => Median(r.WakeMs))];
        var wake = wakes.Length > 0 ? Math.Round(wakes.Max(), 4) : (double?)null;
        if (baseline is null || readings.Count == 0 || readings.Any(r => r.Machine != baseline.Machine))
        {
            return NoiseReading.Unmeasured with { WakeMedianMs = wake };
        }

        var slowdown = readings.Max(r => Median(r.CpuMs) / Median(baseline.CpuMs));
        return new NoiseReading { CpuSlowdown = Math.Round(slowdown, 2), Disturbed = slowdown > policy.MaxCalibrationSlowdown, HasBaseline = true, WakeMedianMs = wake };
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
