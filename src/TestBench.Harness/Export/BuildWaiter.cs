using Microsoft.Extensions.Logging;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Export;

/// <summary>
/// Waits, bounded, for the build of a commit to finish, polling the newest builds; a failed build's log is fetched for
/// the failure message.
/// </summary>
internal sealed class BuildWaiter(ExportTarget target, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns when the build succeeded.</summary>
    /// <exception cref="InvalidOperationException">The build failed (message holds its log) or took longer than <see cref="ExportTarget.BuildTimeout"/>.</exception>
    public async Task WaitAsync(string owner, string name, string sha, ILogger logger, CancellationToken cancellationToken)
    {
        var poll = new Poll($"build of {owner}/{name} at {sha}", PollInterval, target.BuildTimeout);
        var outcome = await poll.UntilDoneAsync(
            async token =>
            {
                var build = await target.Destination.Algorithms.BuildOfAsync(owner, name, sha, token).ConfigureAwait(false);
                return build switch
                {
                    null => PollResult.Pending<string>("not started"),
                    { Status: "succeeded" } => PollResult.Done<string>("succeeded", "succeeded"),
                    { Status: "failed" } => PollResult.Done<string>(build.BuildId, "failed"),
                    _ => PollResult.Pending<string>(build.Status),
                };
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (!outcome.IsDone)
        {
            throw new InvalidOperationException($"the build of commit {sha} did not finish within {target.BuildTimeout.TotalMinutes:0.#} minutes (last status: {outcome.Status})");
        }

        if (outcome.Status == "failed")
        {
            var log = await target.Destination.Algorithms.BuildLogAsync(owner, name, outcome.Value!, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"build {outcome.Value} of commit {sha} failed. Build log:{Environment.NewLine}{target.Redactor.Redact(log)}");
        }
    }
}
