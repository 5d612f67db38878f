using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Measuring;

/// <summary>How one counted call ended.</summary>
public enum CallOutcome : byte
{
    Succeeded,

    /// <summary>Answered with an error other than 429.</summary>
    Failed,

    /// <summary>Answered 429 Too Many Requests: the platform refused the load, counted apart from other errors.</summary>
    Throttled,

    /// <summary>Never sent: the open model could not start it in time or hit its cap of calls in flight.</summary>
    Dropped,
}

/// <summary>
/// One counted call: when it started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp — the scheduled start in
/// the open model), its latency in seconds (0 when dropped) and how it ended.
/// </summary>
public readonly record struct CallRecord(long StartTimestamp, double LatencySeconds, CallOutcome Outcome)
{
    public static CallOutcome OutcomeOf(CallResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Succeeded ? CallOutcome.Succeeded : response.Status == 429 ? CallOutcome.Throttled : CallOutcome.Failed;
    }
}
