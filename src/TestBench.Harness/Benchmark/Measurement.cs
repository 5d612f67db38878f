namespace TestBench.Harness.Benchmark;

/// <summary>What one benchmark call measured.</summary>
public sealed record Measurement
{
    public required string Workflow { get; init; }

    public required string Test { get; init; }

    /// <summary>The exported entrypoint, <c>owner/name/sha</c>.</summary>
    public required string Algorithm { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>The error message when the call failed.</summary>
    public string? Error { get; init; }

    /// <summary>Seconds from sending the call until the whole answer was read.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Seconds the platform reported (<c>metadata.duration</c>).</summary>
    public double? PlatformSeconds { get; init; }

    public string? ContentType { get; init; }

    public required long ResultBytes { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>One line for the test output.</summary>
    public string Describe() =>
        $"{Workflow} › {Test}: {(Succeeded ? "ok" : "FAILED")} in {WallSeconds * 1000:0.0} ms wall"
        + (PlatformSeconds is { } platform ? $", {platform * 1000:0.0} ms on the platform" : "")
        + $", {ContentType ?? "no"} result of {ResultBytes} bytes" + (Error is null ? "" : $": {Error}");
}
