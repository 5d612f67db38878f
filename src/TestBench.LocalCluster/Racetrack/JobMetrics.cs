using System.Globalization;
using System.Text;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// A job's calls in the Prometheus text format the python3 job type exposes at <c>/metrics</c>: started and done
/// counters, errors (400s and 429s included, as there), and the call duration histogram (queue wait included).
/// </summary>
public sealed class JobMetrics
{
    /// <summary>The job type's histogram buckets, in seconds: 1 ms to 1000 s.</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

    private readonly Lock sync = new();
    private readonly long[] bucketCounts = new long[Buckets.Length];
    private long started;
    private long done;
    private long errors;
    private double durationSum;
    private long durationCount;
    private double lastCall;

    public void Started(DateTimeOffset at)
    {
        lock (sync)
        {
            started++;
            lastCall = at.ToUnixTimeMilliseconds() / 1000.0;
        }
    }

    public void Done(TimeSpan duration, bool failed)
    {
        lock (sync)
        {
            done++;
            errors += failed ? 1 : 0;
            durationSum += duration.TotalSeconds;
            durationCount++;
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (duration.TotalSeconds <= Buckets[i])
                {
                    bucketCounts[i]++;
                }
            }
        }
    }

    /// <summary>The exposition text (<c>text/plain; version=0.0.4</c>).</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (sync)
        {
            Counter(text, "requests_started_total", "perform calls started", started);
            Counter(text, "requests_done_total", "perform calls finished, with or without an error", done);
            Counter(text, "endpoint_requests_started_total{endpoint=\"/perform\"}", null, started);
            Counter(text, "request_internal_errors_total{endpoint=\"/perform\"}", "calls that ended in an error (400, 429 and 500)", errors);
            text.Append("# HELP request_duration seconds per call, queue wait included\n# TYPE request_duration histogram\n");
            for (var i = 0; i < Buckets.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"request_duration_bucket{{endpoint=\"/perform\",le=\"{Buckets[i]}\"}} {bucketCounts[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"request_duration_bucket{{endpoint=\"/perform\",le=\"+Inf\"}} {durationCount}\n");
            text.Append(CultureInfo.InvariantCulture, $"request_duration_sum{{endpoint=\"/perform\"}} {durationSum}\n");
            text.Append(CultureInfo.InvariantCulture, $"request_duration_count{{endpoint=\"/perform\"}} {durationCount}\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE last_call_timestamp gauge\nlast_call_timestamp {lastCall}\n");
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string series, string? help, long value)
    {
        var name = series.Split('{')[0];
        if (help is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{series} {value}\n");
    }
}
