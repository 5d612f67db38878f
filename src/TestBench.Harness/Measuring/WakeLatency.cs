using System.Diagnostics;

namespace TestBench.Harness.Measuring;

/// <summary>
/// Times how long a blocked thread takes to wake: a ping-pong with a thread that waits on a kernel event, after a
/// pause that lets it block (and its CPU idle). It sees what the CPU-bound calibration cannot — scheduler and idle-state
/// wake-up latency, which a serial call to a server that was idle pays once per call (docs/benchmarks.md, "slow mode").
/// </summary>
internal static class WakeLatency
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(1);

    /// <summary>The round trip of each of <paramref name="pings"/> pings, in milliseconds.</summary>
    public static double[] Measure(int pings)
    {
        var round = new double[pings];
        // AutoResetEvent waits in the kernel without spinning first, so every ping wakes a blocked thread.
        using var ping = new AutoResetEvent(false);
        using var pong = new AutoResetEvent(false);
        var echo = new Thread(() =>
        {
            for (var i = 0; i < pings; i++)
            {
                ping.WaitOne();
                pong.Set();
            }
        })
        { IsBackground = true, Name = "wake-latency echo" };
        echo.Start();
        for (var i = 0; i < pings; i++)
        {
            // The pause must block this thread on the real clock, so the echo thread's CPU can idle: that is what is measured.
#pragma warning disable RS0030
            Thread.Sleep(Pause);
#pragma warning restore RS0030
            var started = Stopwatch.GetTimestamp();
            ping.Set();
            pong.WaitOne();
            round[i] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 4);
        }

        echo.Join();
        return round;
    }
}
