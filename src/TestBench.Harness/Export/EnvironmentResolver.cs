using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
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
        if (Match(await admin.EnvironmentsAsync("current", cancellationToken).ConfigureAwait(false), selector) is { } installed)
        {
            return installed["id"]!.GetValue<string>();
        }

        var available = Match(await admin.EnvironmentsAsync("available", cancellationToken).ConfigureAwait(false), selector)
            ?? throw new PrerequisiteMissingException($"the destination has no environment matching '{selector.Describe()}', installed or available");
        var id = available["id"]!.GetValue<string>();
        var specification = available["environment_specification_id"]!.GetValue<string>();
        LogSyncing(logger, selector.Describe(), id);
        await admin.StartSyncAsync(specification, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < SyncTimeout)
        {
            var result = await admin.SyncResultAsync(specification, id, cancellationToken).ConfigureAwait(false);
            if (result.Contains("failed", StringComparison.OrdinalIgnoreCase))
            {
                throw new PrerequisiteMissingException($"environment '{selector.Describe()}' is not installed on the destination, and syncing it reported: {result}");
            }

            if (result == "succeeded")
            {
                // Look again: the list fetched before the sync is stale (the original tool's bug).
                return Match(await admin.EnvironmentsAsync("current", cancellationToken).ConfigureAwait(false), selector)?["id"]!.GetValue<string>()
                    ?? throw new PrerequisiteMissingException($"environment '{selector.Describe()}' synced but is still not installed on the destination");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        throw new PrerequisiteMissingException($"syncing environment '{selector.Describe()}' did not finish within {SyncTimeout.TotalMinutes} minutes");
    }

    private static JsonNode? Match(JsonArray environments, EnvironmentSelector selector)
    {
        if (selector.EnvironmentName is { } displayName)
        {
            return environments.FirstOrDefault(e => e?["display_name"]?.GetValue<string>() == displayName);
        }

        var language = selector.Language ?? selector.Environment;
        return environments.FirstOrDefault(e => e?["language"]?["name"]?.GetValue<string>() == language);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Environment '{Environment}' is not installed; syncing {EnvironmentId}")]
    private static partial void LogSyncing(ILogger logger, string environment, string environmentId);
}
