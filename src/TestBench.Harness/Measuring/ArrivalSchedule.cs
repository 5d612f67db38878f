using TestBench.Harness.Workflows;

namespace TestBench.Harness.Measuring;

/// <summary>
/// When each call of an <see cref="OpenLoad"/> is due: the first at 0, the n-th when the number of arrivals the stages
/// promise so far reaches n. Within a stage the rate moves linearly from <c>r0</c> to <c>r1</c> over <c>D</c> seconds,
/// so its arrivals by time t are <c>r0·t + (r1 − r0)·t² / 2D</c>; solving that for t gives each due time.
/// </summary>
public static class ArrivalSchedule
{
    /// <summary>The calls the load schedules: its promised arrivals, rounded up.</summary>
    public static long CountOf(OpenLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return load.ScheduledCalls;
    }

    /// <summary>Each call's due time in seconds from the start, in order.</summary>
    public static IEnumerable<double> DueTimes(OpenLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var count = CountOf(load);
        var stages = Stages(load).ToArray();
        var (index, startTime, before) = (0, 0.0, 0.0);
        for (long n = 0; n < count; n++)
        {
            while (index < stages.Length - 1 && n >= before + stages[index].Arrivals)
            {
                before += stages[index].Arrivals;
                startTime += stages[index].Duration;
                index++;
            }

            yield return startTime + stages[index].TimeOf(n - before);
        }
    }

    private static IEnumerable<Ramp> Stages(OpenLoad load)
    {
        var previous = load.Stages[0].Rate;
        foreach (var stage in load.Stages)
        {
            yield return new Ramp(previous, stage.Rate, stage.DurationSeconds);
            previous = stage.Rate;
        }
    }

    private readonly record struct Ramp(double From, double To, double Duration)
    {
        public double Arrivals => (From + To) / 2 * Duration;

        /// <summary>Seconds into the ramp at which <paramref name="arrivals"/> have come: the root of
        /// <c>a·t² + From·t − arrivals = 0</c>, written so it stays exact when the ramp is flat (a = 0).</summary>
        public double TimeOf(double arrivals)
        {
            if (arrivals <= 0)
            {
                return 0;
            }

            var a = (To - From) / (2 * Duration);
            return Math.Min(Duration, 2 * arrivals / (From + Math.Sqrt((From * From) + (4 * a * arrivals))));
        }
    }
}
