using System.Diagnostics;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Histograms;
using TestBench.Harness.Measuring;
using TestBench.Harness.Workflows;
using TestBench.LocalCluster.Runtime;

namespace TestBench.Bench;

/// <summary>
/// Coordinated omission, shown as wrk2's README does (issue #11): against a destination that freezes for 1 s at the
/// start of every 5 s, the same hello_world call is measured by the closed model (callers that wait for each answer)
/// and by the open model (calls due at a fixed rate, timed from their due time). Prints both distributions.
/// </summary>
internal static class CoordinatedOmissionBench
{
    public static async Task RunAsync(string root, int seconds, int rate, int callers)
    {
        var stall = new StallSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        await using var clusters = await ClusterPair.StartAsync(root, new RuntimeOptions { Stall = stall });
        var prepared = await clusters.ExportHelloWorldAsync(root, "co");
        Task<CallResponse> Call(CancellationToken token) => clusters.Destination.Calls.CallAsync(prepared, token);
        await LoadRunner.WarmUpAsync(Call, 500, callers, default);

        var closed = TestSample.Empty;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started).TotalSeconds < seconds)
        {
            closed = closed.With(await LoadRunner.RunTrialAsync(Call, 500, callers, default));
        }

        var open = TestSample.Empty.With(await OpenLoadRunner.RunAsync(Call, new OpenLoad { Stages = [new LoadStage(rate, seconds)] }, default));
        Console.WriteLine($"Destination freezes {stall.For.TotalSeconds:0} s in every {stall.Every.TotalSeconds:0} s; {seconds} s per model.");
        Console.WriteLine();
        Console.WriteLine("| model | calls | errors / throttled (429) | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | calls ≥ 100 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row($"closed: {callers} callers, each waits for its answer", closed);
        Row($"open: {rate} calls/s, timed from the due time", open);
        foreach (var (name, sample) in new[] { ("closed", closed), ("open", open) })
        {
            var path = Path.Combine(Path.GetTempPath(), $"testbench-co-{name}.hgrm");
            await File.WriteAllTextAsync(path, PercentileDistribution.Render(sample.Summarize().Histogram!));
            Console.Error.WriteLine($"{name} model's percentile distribution: {path}");
        }
    }

    private static void Row(string model, TestSample sample)
    {
        var load = sample.Summarize();
        var slow = sample.LatenciesMs.Count(ms => ms >= 100);
        Console.WriteLine($"| {model} | {load.Calls} | {load.Errors} / {load.Throttled} | {Ms(load.P50)} | {Ms(load.P90)} | {Ms(load.P99)} | {Ms(load.P999)} | {Ms(load.Max)} | {slow} ({100.0 * slow / load.Calls:0.00} %) |");
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
