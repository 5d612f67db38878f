using System.Text.Json.Nodes;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>One deployed job version: its manifest, status, what its entrypoint declares, and its warm workers.</summary>
public sealed class RacetrackJob
{
    public required JobManifest Manifest { get; init; }

    public string Name => Manifest.Name;

    public string Version => Manifest.Version;

    /// <summary><c>starting</c>, <c>running</c> or <c>error</c>.</summary>
    public string Status { get; set; } = "starting";

    public string? Error { get; set; }

    public required DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset UpdateTime { get; set; }

    /// <summary>The job folder (the extracted build context); the workers' working directory.</summary>
    public required string Directory { get; init; }

    public string BuildLog { get; set; } = "";

    /// <summary>What it was built from, kept in memory (never on disk) for a redeploy, as Lifecycle keeps a job's secrets.</summary>
    public required DeploySource Source { get; init; }

    /// <summary><c>/parameters</c>: required <c>{name, type}</c>, then optional <c>{name, default_value, type}</c>.</summary>
    public JsonArray Parameters { get; set; } = [];

    /// <summary><c>docs_input_example()</c>, when the entrypoint has one.</summary>
    public JsonNode? InputExample { get; set; }

    /// <summary><c>docs_input_examples()</c>, when the entrypoint has one.</summary>
    public JsonNode? InputExamples { get; set; }

    /// <summary>The warm workers, once the entrypoint is constructed.</summary>
    public WorkerPool? Pool { get; set; }

    public JobMetrics Metrics { get; } = new();

    private readonly System.Text.StringBuilder log = new();

    /// <summary>What calls printed, newest last, at most 64 KiB (<c>/job/{name}/{version}/logs</c>).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public void AppendLog(string printed)
    {
        if (string.IsNullOrEmpty(printed))
        {
            return;
        }

        lock (log)
        {
            log.Append(printed);
            if (log.Length > 64 * 1024)
            {
                log.Remove(0, log.Length - 64 * 1024);
            }
        }
    }

    /// <summary>Ready for calls: running, with its entrypoint constructed.</summary>
    public bool IsReady => Status == "running" && Pool is not null;

    /// <summary>A stable version: no <c>-label</c>, so <c>latest</c> may pick it.</summary>
    public bool IsStable => !Version.Contains('-', StringComparison.Ordinal);
}

/// <summary>A deploy request's build context and secrets: what a redeploy builds from again.</summary>
public sealed record DeploySource(byte[] BuildContext, JobSecrets Secrets);
