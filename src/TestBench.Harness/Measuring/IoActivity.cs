using System.Globalization;
using System.Text.Json.Serialization;

namespace TestBench.Harness.Measuring;

/// <summary>The machine's I/O while a test's trials ran (<see cref="IoCounters"/>): recorded, not judged.</summary>
public sealed record IoActivity
{
    /// <summary>How long at least one task waited on I/O, in milliseconds.</summary>
    public required double StallMs { get; init; }

    /// <summary>Evicted file pages read again, in MiB.</summary>
    public required double RefaultedMebibytes { get; init; }

    /// <summary>Under a millisecond of stall and no page read again: not worth a sentence.</summary>
    [JsonIgnore]
    public bool IsNegligible => StallMs < 1 && RefaultedMebibytes == 0;

    /// <summary>E.g. <c>this machine waited on I/O for 1234.5 ms and re-read 56.2 MiB of evicted files during the trials</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"this machine waited on I/O for {StallMs:0.#} ms and re-read {RefaultedMebibytes:0.#} MiB of evicted files during the trials (recorded, not judged)");
}
