namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// Starts one throwaway worker (an algorithm that echoes its input) and calls it once, before the cluster announces
/// itself: the server compiles its worker-start and pipe path then (with tiered compilation off, a first compile is
/// a full one, ~150 ms), instead of inside the first algorithm's cold start, which the benchmark measures.
/// </summary>
internal static class RuntimeWarmUp
{
    private const string Name = "TestBenchWarmUp";

    public static async Task RunAsync(string python, RuntimeOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("testbench-warmup-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "src"));
            await File.WriteAllTextAsync(Path.Combine(directory, "src", Name + ".py"), "def apply(input):\n    return input\n", cancellationToken).ConfigureAwait(false);
            var spec = new WorkerSpec { Label = "warm-up", AlgorithmName = Name, Directory = directory, Python = python };
            await using var pool = new WorkerPool(spec, options with { CallDelay = TimeSpan.Zero }, Api.LangServerHost.RunnerPath, time, new RuntimeMetrics());
            var result = await pool.CallAsync(AlgorithmInput.FromText("warm"), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"the warm-up worker answered {result.Error?.ErrorType}: {result.Error?.Message}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
