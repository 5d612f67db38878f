using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Export;
using TestBench.Harness.Workflows;

namespace TestBench.Bench;

/// <summary>
/// Export benchmark (issue #5). Two local clusters run as separate processes, so this process's memory is the
/// harness's alone. Measures, in one run:
///  1. copying a data file source → destination with the exporter's copier, side by side with the baseline
///     `curl GET | curl PUT` against the same two servers; throughput ratio and the harness's peak memory growth;
///  2. exporting an unchanged run_only workflow twice: first run vs second run.
/// </summary>
internal static class ExportBench
{
    public static async Task RunAsync(string root, int sizeMiB)
    {
        await using var clusters = await ClusterPair.StartAsync(root);
        var work = clusters.WorkDirectory;
        var source = clusters.Source;
        var destination = clusters.Destination;
        var sourceKey = clusters.SourceCluster.UserKeys["quality"];
        var destinationKey = clusters.DestinationCluster.UserKeys["testbench"];
        var sourceAddress = clusters.SourceCluster.Address;
        var destinationAddress = clusters.DestinationCluster.Address;

        var blob = Path.Combine(work, "blob.bin");
        using (var file = File.Create(blob))
        {
            var chunk = new byte[1024 * 1024];
            new Random(7).NextBytes(chunk);
            for (var i = 0; i < sizeMiB; i++)
            {
                file.Write(chunk);
            }
        }

        await source.Data.CreateFolderAsync("data://quality", "artifacts", default);
        await using (var stream = File.OpenRead(blob))
        {
            await source.Data.UploadAsync("data://quality/artifacts/blob.bin", stream, stream.Length, default);
        }

        File.Delete(blob);
        var target = clusters.Target;
        var bytes = sizeMiB * 1024L * 1024;

        // 1. Copy throughput: harness vs curl | curl, alternating, fresh destination folder each time.
        var harness = new List<double>();
        var curl = new List<double>();
        long peakGrowth = 0;
        for (var round = 0; round < 3; round++)
        {
            using (var self = Process.GetCurrentProcess())
            {
                GC.Collect();
                var before = self.PeakWorkingSet64;
                var folder = $"h{round}";
                var watch = Stopwatch.StartNew();
                await new DataFileCopier(target, TimeProvider.System).CopyAsync(["data://quality/artifacts/blob.bin"], "testbench", folder, NullLogger.Instance, default);
                harness.Add(watch.Elapsed.TotalSeconds);
                self.Refresh();
                peakGrowth = Math.Max(peakGrowth, self.PeakWorkingSet64 - before);
            }

            await destination.Data.CreateFolderAsync("data://testbench", $"c{round}", default);
            var curlWatch = Stopwatch.StartNew();
            Shell.Run("bash", "-c", $"set -o pipefail; curl -sf -H 'Authorization: Simple {sourceKey}' {sourceAddress}v1/data/quality/artifacts/blob.bin | curl -sf -T - -H 'Authorization: Simple {destinationKey}' {destinationAddress}v1/data/testbench/c{round}/blob.bin > /dev/null");
            curl.Add(curlWatch.Elapsed.TotalSeconds);
            if (await destination.Data.FileSizeAsync($"data://testbench/c{round}/blob.bin", default) != bytes)
            {
                throw new InvalidOperationException("the curl baseline did not copy the whole file");
            }
        }

        // 2. run_only re-run: the second export of an unchanged workflow skips data copies and rebuilds.
        var workflow = new Workflow
        {
            Name = "bench_rerun",
            File = "(bench)",
            SourceClusterAddress = Workflow.DefaultSourceClusterAddress,
            RunOnly = true,
            Algorithms =
            [
                new AlgorithmSpec
                {
                    Name = "hello_world",
                    Environment = new EnvironmentSelector { Language = "python3" },
                    DataFiles = ["data://quality/artifacts/blob.bin"],
                    TestPayload = System.Text.Json.JsonDocument.Parse("\"bench\"").RootElement.Clone(),
                },
            ],
        };
        var first = Stopwatch.StartNew();
        await new WorkflowExport(workflow, target, TimeProvider.System).ExportAsync("hello_world", NullLogger.Instance, default);
        var firstSeconds = first.Elapsed.TotalSeconds;
        var second = Stopwatch.StartNew();
        await new WorkflowExport(workflow, target, TimeProvider.System).ExportAsync("hello_world", NullLogger.Instance, default);
        var secondSeconds = second.Elapsed.TotalSeconds;

        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        double MiBps(double seconds) => sizeMiB / seconds;
        Console.WriteLine($"| copy of a {sizeMiB} MiB data file, source → destination (median of {harness.Count}) | seconds | MiB/s |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| harness (DataFileCopier, streamed, size-verified) | {Median(harness):0.00} | {MiBps(Median(harness)):0} |");
        Console.WriteLine($"| baseline: `curl GET \\| curl PUT` | {Median(curl):0.00} | {MiBps(Median(curl)):0} |");
        Console.WriteLine($"| **throughput ratio harness / curl** | | **{Median(curl) / Median(harness):0.00}** |");
        Console.WriteLine();
        Console.WriteLine($"Harness peak working-set growth during a copy: **{peakGrowth / (1024.0 * 1024):0.0} MiB** (the servers run in other processes).");
        Console.WriteLine();
        Console.WriteLine("| unchanged `run_only` workflow (hello_world + the data file) | export time (s) |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| first run (copy, push, build, smoke call, publish) | {firstSeconds:0.00} |");
        Console.WriteLine($"| second run (copy skipped: same size; nothing pushed, no rebuild) | {secondSeconds:0.00} |");
    }
}
