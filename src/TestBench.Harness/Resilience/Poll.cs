using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TestBench.Harness.Resilience;

/// <summary>
/// The one way the harness waits for something on a cluster: a Polly pipeline that looks again at a constant interval,
/// a bounded number of times, within a total timeout, logging each change of status. Time comes from the
/// <see cref="TimeProvider"/>, so tests drive a wait with a manual clock instead of sleeping.
/// </summary>
/// <param name="waitingFor">What is awaited, for the log, e.g. <c>build of alice/Hello at 1a2b3c</c>.</param>
/// <param name="interval">The pause between looks.</param>
/// <param name="timeout">The most the whole wait may take.</param>
public sealed partial class Poll(string waitingFor, TimeSpan interval, TimeSpan timeout)
{
    public string WaitingFor => waitingFor;

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    /// <summary>
    /// Looks with <paramref name="probe"/> until it answers <see cref="PollResult.Done{T}"/>, and returns that; when the
    /// timeout comes first, returns the last pending look (the caller words the failure). A probe that throws ends the wait.
    /// </summary>
    public async Task<PollResult<T>> UntilDoneAsync<T>(Func<CancellationToken, Task<PollResult<T>>> probe, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var last = PollResult.Pending<T>("not looked at yet");
        string? logged = null;
        var pipeline = new ResiliencePipelineBuilder<PollResult<T>> { TimeProvider = time }
            .AddTimeout(Timeout)
            .AddRetry(new RetryStrategyOptions<PollResult<T>>
            {
                // Bounded even if the timeout's clock stood still: enough looks to fill the timeout, and one more.
                MaxRetryAttempts = (int)Math.Min(int.MaxValue - 1, Math.Ceiling(Timeout / Interval) + 1),
                BackoffType = DelayBackoffType.Constant,
                Delay = Interval,
                UseJitter = false,
                // Only a pending look is looked at again; an exception ends the wait (Result is a default, not-done struct then).
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && !args.Outcome.Result.IsDone),
            })
            .Build();
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    last = await probe(token).ConfigureAwait(false);
                    if (last.Status != logged)
                    {
                        LogStatus(logger, WaitingFor, last.Status);
                        logged = last.Status;
                    }

                    return last;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            return last;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for {WaitingFor}: {Status}")]
    private static partial void LogStatus(ILogger logger, string waitingFor, string status);
}
