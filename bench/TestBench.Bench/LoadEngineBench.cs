using System.Globalization;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Measuring;

namespace TestBench.Bench;

/// <summary>
/// Load-engine efficiency (issue #11): the harness's load runner against wrk, same endpoint (hello_world exported
/// into a destination cluster running in its own process), same connection count and duration, taking turns for
/// several rounds. Reports throughput ratios and the per-call client overhead (harness p50 − wrk p50).
/// </summary>
internal static class LoadEngineBench
{
    private static readonly int[] Connections = [1, 4, 8];

    public static async Task RunAsync(string root, int seconds, int rounds)
    {
        await using var clusters = await ClusterPair.StartAsync(root);
        var prepared = await clusters.ExportHelloWorldAsync(root, "load");
        Task<CallResponse> Call(CancellationToken token) => clusters.Destination.Calls.CallAsync(prepared, token);

        var script = Path.Combine(clusters.WorkDirectory, "post.lua");
        var key = clusters.DestinationCluster.UserKeys["testbench"];
        await File.WriteAllTextAsync(script, $"wrk.method = \"POST\"\nwrk.body = '\"load\"'\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"Simple {key}\"\n");
        var url = prepared.Address.ToString();

        await LoadRunner.WarmUpAsync(Call, 2000, 8, default);
        var rows = new List<string>();
        foreach (var connections in Connections)
        {
            var wrk = new List<(double Rate, double P50)>();
            var harness = new List<(double Rate, double P50)>();
            for (var round = 0; round < rounds; round++)
            {
                wrk.Add(Wrk(url, script, connections, seconds));
                // As many calls as wrk made in its run, so both run for about the same time.
                var calls = (int)Math.Max(100, wrk[^1].Rate * seconds);
                var trial = await LoadRunner.RunTrialAsync(Call, calls, connections, default);
                if (trial.Errors > 0)
                {
                    throw new InvalidOperationException($"the harness's calls failed: {trial.FirstError}");
                }

                harness.Add((trial.Throughput, TestSample.Empty.With(trial).Summarize().P50 * 1000));
            }

            Console.Error.WriteLine($"{connections} connection(s): wrk {string.Join(", ", wrk.Select(Format))}; harness {string.Join(", ", harness.Select(Format))}");
            var (wrkRate, harnessRate) = (Median(wrk.Select(r => r.Rate)), Median(harness.Select(r => r.Rate)));
            var (wrkP50, harnessP50) = (Median(wrk.Select(r => r.P50)), Median(harness.Select(r => r.P50)));
            rows.Add($"| {connections} | {wrkRate:0} [{Spread(wrk.Select(r => r.Rate), "0")}] | {harnessRate:0} [{Spread(harness.Select(r => r.Rate), "0")}] | **{harnessRate / wrkRate:0.00}×** "
                + $"| {wrkP50:0.000} [{Spread(wrk.Select(r => r.P50), "0.000")}] | {harnessP50:0.000} [{Spread(harness.Select(r => r.P50), "0.000")}] | {harnessP50 - wrkP50:+0.000;-0.000} |");
        }

        Console.WriteLine($"| connections | wrk calls/s, median [min, max] of {rounds} | harness calls/s | harness / wrk | wrk p50 ms | harness p50 ms | client overhead ms (p50 difference) |");
        Console.WriteLine("|---:|---|---|---:|---|---|---:|");
        rows.ForEach(Console.WriteLine);
    }

    private static (double Rate, double P50) Wrk(string url, string script, int connections, int seconds)
    {
        var output = Shell.Output("wrk", $"-t{Math.Min(connections, 2)}", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, url);
        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw errors:\n{output}");
        }

        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var rate = double.Parse(lines.Single(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);
        var p50 = lines.Single(l => l.StartsWith("50%", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return (rate, Milliseconds(p50));
    }

    /// <summary>wrk's duration text (<c>350.00us</c>, <c>1.20ms</c>, <c>2.00s</c>) in milliseconds.</summary>
    private static double Milliseconds(string text)
    {
        var (number, scale) = text.EndsWith("us", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : throw new FormatException($"wrk printed '{text}' as a duration");
        return double.Parse(number, CultureInfo.InvariantCulture) * scale;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var list = values.ToArray();
        return $"{list.Min().ToString(format, CultureInfo.InvariantCulture)}, {list.Max().ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static string Format((double Rate, double P50) run) => $"{run.Rate:0}/s p50 {run.P50:0.000} ms";
}
