using Microsoft.Extensions.Logging;

namespace TestBench.Harness.Export;

/// <summary>
/// Waits, bounded, for the build of a commit to finish, logging each status change; a failed build's log is
/// fetched for the failure message.
/// </summary>
internal sealed partial class BuildWaiter(ExportTarget target, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns when the build succeeded.</summary>
    /// <exception cref="InvalidOperationException">The build failed (message holds its log) or took longer than <see cref="ExportTarget.BuildTimeout"/>.</exception>
    public async Task WaitAsync(string owner, string name, string sha, ILogger logger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        string? lastStatus = null;
        while (time.GetElapsedTime(started) < target.BuildTimeout)
        {
            var build = (await target.Destination.BuildsAsync(owner, name, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(b => b?["commit_sha"]?.GetValue<string>() == sha);
            var status = build?["status"]?.GetValue<string>() ?? "not started";
            if (status != lastStatus)
            {
                LogStatus(logger, owner, name, sha, status);
                lastStatus = status;
            }

            if (status == "succeeded")
            {
                return;
            }

            if (status == "failed")
            {
                var log = await target.Destination.BuildLogAsync(owner, name, build!["build_id"]!.GetValue<string>(), cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"build {build["build_id"]} of commit {sha} failed. Build log:{Environment.NewLine}{target.Redactor.Redact(log)}");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"the build of commit {sha} did not finish within {target.BuildTimeout.TotalMinutes:0.#} minutes (last status: {lastStatus})");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Build of {Owner}/{Name} at {Sha}: {Status}")]
    private static partial void LogStatus(ILogger logger, string owner, string name, string sha, string status);
}
