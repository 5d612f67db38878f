using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia.Replies;
using TestBench.Harness.Resilience;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// Finds the destination environment a workflow names: an exact <c>display_name</c> match for
/// <c>environment_name</c>, else the first installed environment of the <c>language</c>/<c>environment</c>.
/// One that is only available is synced (admin key) and polled, bounded; when it cannot be had the export is
/// skipped with the server's reason.
/// </summary>
internal sealed partial class EnvironmentResolver(ExportTarget target, TimeProvider time)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>The environment id to create the algorithm in.</summary>
    public async Task<string> ResolveAsync(EnvironmentSelector selector, ILogger logger, CancellationToken cancellationToken)
    {
        var admin = target.DestinationAdmin ?? throw new PrerequisiteMissingException(
            $"looking up environment '{selector.Describe()}' needs the destination's admin credentials (ADMIN_API_KEY, or ADMIN_API_USERNAME and ADMIN_API_PASSWORD)");
        if (Match(await admin.Environments.InstalledAsync(cancellationToken).ConfigureAwait(false), selector) is { } installed)
        {
            return installed.Id;
        }

        var available = Match(await admin.Environments.AvailableAsync(cancellationToken).ConfigureAwait(false), selector)
            ?? throw new PrerequisiteMissingException($"the destination has no environment matching '{selector.Describe()}', installed or available");
        var specification = available.EnvironmentSpecificationId ?? throw new PrerequisiteMissingException(
            $"environment '{selector.Describe()}' ({available.Id}) is available on the destination, but its entry in environments/available has no 'environment_specification_id' to sync it by");
        LogSyncing(logger, selector.Describe(), available.Id);
        await admin.Environments.StartSyncAsync(specification, cancellationToken).ConfigureAwait(false);
        var sync = await new Poll($"sync of environment '{selector.Describe()}'", PollInterval, SyncTimeout).UntilDoneAsync(
            async token =>
            {
                var result = await admin.Environments.SyncResultAsync(specification, available.Id, token).ConfigureAwait(false);
                return result == "succeeded" || result.Contains("failed", StringComparison.OrdinalIgnoreCase)
                    ? PollResult.Done<string>(result, result)
                    : PollResult.Pending<string>(result);
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (!sync.IsDone)
        {
            throw new PrerequisiteMissingException($"syncing environment '{selector.Describe()}' did not finish within {SyncTimeout.TotalMinutes} minutes");
        }

        if (sync.Value != "succeeded")
        {
            throw new PrerequisiteMissingException($"environment '{selector.Describe()}' is not installed on the destination, and syncing it reported: {sync.Value}");
        }

        // Look again: the list fetched before the sync is stale (the original tool's bug).
        return Match(await admin.Environments.InstalledAsync(cancellationToken).ConfigureAwait(false), selector)?.Id
            ?? throw new PrerequisiteMissingException($"environment '{selector.Describe()}' synced but is still not installed on the destination");
    }

    private static EnvironmentReply? Match(IReadOnlyList<EnvironmentReply> environments, EnvironmentSelector selector)
    {
        if (selector.EnvironmentName is { } displayName)
        {
            return environments.FirstOrDefault(e => e.DisplayName == displayName);
        }

        var language = selector.Language ?? selector.Environment;
        return environments.FirstOrDefault(e => e.Language?.Name == language);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Environment '{Environment}' is not installed; syncing {EnvironmentId}")]
    private static partial void LogSyncing(ILogger logger, string environment, string environmentId);
}
