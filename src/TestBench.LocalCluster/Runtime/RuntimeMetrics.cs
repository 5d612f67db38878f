using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// Counters per algorithm, written out in the Prometheus text format: calls, errors, rejections, calls in
/// flight, calls queued and a call-duration histogram.
/// </summary>
public sealed class RuntimeMetrics
{
    private static readonly double[] BucketBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly ConcurrentDictionary<string, Series> series = new(StringComparer.Ordinal);

    /// <summary>Reads a pool's queue length when metrics are written.</summary>
    public Func<IEnumerable<(string Label, int Queued)>> QueueLengths { get; set; } = () => [];

    internal void Started(string label) => Interlocked.Increment(ref Get(label).InFlight);

    internal void Finished(string label, double seconds, bool succeeded)
    {
        var s = Get(label);
        Interlocked.Decrement(ref s.InFlight);
        Interlocked.Increment(ref s.Calls);
        if (!succeeded)
        {
            Interlocked.Increment(ref s.Errors);
        }

        lock (s)
        {
            s.DurationSum += seconds;
            var bucket = Array.FindIndex(BucketBounds, bound => seconds <= bound);
            s.Buckets[bucket < 0 ? BucketBounds.Length : bucket]++;
        }
    }

    internal void Rejected(string label) => Interlocked.Increment(ref Get(label).Rejections);

    /// <summary>All series in the Prometheus text exposition format (version 0.0.4).</summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        var all = series.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        Write(text, "testbench_algorithm_calls_total", "counter", "Algorithm calls finished.", all, s => s.Calls);
        Write(text, "testbench_algorithm_errors_total", "counter", "Algorithm calls that ended in an error.", all, s => s.Errors);
        Write(text, "testbench_algorithm_rejected_total", "counter", "Calls refused because the queue was full.", all, s => s.Rejections);
        Write(text, "testbench_algorithm_in_flight", "gauge", "Calls running now.", all, s => s.InFlight);
        text.Append("# HELP testbench_algorithm_queue_length Calls waiting for a worker.\n# TYPE testbench_algorithm_queue_length gauge\n");
        foreach (var (label, queued) in QueueLengths())
        {
            text.Append(CultureInfo.InvariantCulture, $"testbench_algorithm_queue_length{{algorithm=\"{Escape(label)}\"}} {queued}\n");
        }

        text.Append("# HELP testbench_algorithm_duration_seconds Time an algorithm took per call.\n# TYPE testbench_algorithm_duration_seconds histogram\n");
        foreach (var (label, s) in all)
        {
            lock (s)
            {
                long cumulative = 0;
                for (var i = 0; i <= BucketBounds.Length; i++)
                {
                    cumulative += s.Buckets[i];
                    var bound = i < BucketBounds.Length ? BucketBounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
                    text.Append(CultureInfo.InvariantCulture, $"testbench_algorithm_duration_seconds_bucket{{algorithm=\"{Escape(label)}\",le=\"{bound}\"}} {cumulative}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"testbench_algorithm_duration_seconds_sum{{algorithm=\"{Escape(label)}\"}} {s.DurationSum}\n");
                text.Append(CultureInfo.InvariantCulture, $"testbench_algorithm_duration_seconds_count{{algorithm=\"{Escape(label)}\"}} {cumulative}\n");
            }
        }

        return text.ToString();
    }

    private Series Get(string label) => series.GetOrAdd(label, _ => new Series());

    private static void Write(StringBuilder text, string name, string type, string help, KeyValuePair<string, Series>[] all, Func<Series, long> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (label, s) in all)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{algorithm=\"{Escape(label)}\"}} {value(s)}\n");
        }
    }

    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series
    {
        public readonly long[] Buckets = new long[BucketBounds.Length + 1];
        public long Calls;
        public long Errors;
        public long Rejections;
        public long InFlight;
        public double DurationSum;
    }
}
