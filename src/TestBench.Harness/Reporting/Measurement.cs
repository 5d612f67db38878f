using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;

namespace TestBench.Harness.Reporting;

/// <summary>What one benchmark call measured.</summary>
public sealed record Measurement
{
    public required string Workflow { get; init; }

    public required string Test { get; init; }

    /// <summary>The target it ran on (the <c>Target</c> trait): <c>local</c>, <c>algorithmia</c> or <c>racetrack</c>.</summary>
    public string Target { get; init; } = "local";

    /// <summary>The exported entrypoint, <c>owner/name/sha</c> or <c>job name version</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>Counts, throughput and latency percentiles of the test's calls.</summary>
    public required LoadResult Load { get; init; }

    /// <summary>Seconds the platform reported for the last call (<c>metadata.duration</c>).</summary>
    public double? PlatformSeconds { get; init; }

    /// <summary>The content type of the last call's result.</summary>
    public string? ContentType { get; init; }

    /// <summary>Bytes of the last call's answer.</summary>
    public required long ResultBytes { get; init; }

    /// <summary>How the sample compared with the test's bar; <see langword="null"/> when a call failed.</summary>
    public Judgement? Judgement { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public RatchetVerdict? Verdict => Judgement?.Verdict;

    public required DateTimeOffset At { get; init; }

    /// <summary>The history's verdict on the test's stored series ending in this measurement (issue #28), as a sentence;
    /// <see langword="null"/> when the run has no history.</summary>
    public string? History { get; init; }

    /// <summary>Why the timings may not be the platform's, e.g. an unoptimized or coverage-instrumented build on the measured path.</summary>
    public IReadOnlyList<string> Caveats { get; init; } = [];

    public bool Succeeded => Load.Failures == 0 && Load.Calls > 0;

    /// <summary>One line for the test output.</summary>
    public string Describe() =>
        $"{Workflow} › {Test}: {(Succeeded ? "ok" : "FAILED")}: {Load.Describe()}"
        + (PlatformSeconds is { } platform ? $"; last call {platform * 1000:0.0} ms on the platform" : "")
        + $", {ContentType ?? "no"} result of {ResultBytes} bytes"
        + string.Concat(Caveats.Select(caveat => $"{Environment.NewLine}warning: {caveat}"));
}
