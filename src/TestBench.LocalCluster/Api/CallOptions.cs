namespace TestBench.LocalCluster.Api;

/// <summary>The query options of an algorithm call: <c>timeout</c> (seconds) and <c>stdout</c>.</summary>
internal sealed record CallOptions(TimeSpan Timeout, bool IncludeStdout)
{
    public const int DefaultTimeoutSeconds = 300;
    public const int MaxTimeoutSeconds = 3000;

    /// <summary>Parses the query; booleans case-insensitively, because the Python client sends <c>True</c>.</summary>
    public static (CallOptions? Options, string? Problem) Parse(IQueryCollection query)
    {
        var timeout = DefaultTimeoutSeconds;
        if (query.TryGetValue("timeout", out var timeoutText)
            && (!int.TryParse(timeoutText, out timeout) || timeout is < 1 or > MaxTimeoutSeconds))
        {
            return (null, $"query 'timeout' is '{timeoutText}'; it must be whole seconds from 1 to {MaxTimeoutSeconds}");
        }

        var stdout = false;
        if (query.TryGetValue("stdout", out var stdoutText) && !bool.TryParse(stdoutText, out stdout))
        {
            return (null, $"query 'stdout' is '{stdoutText}'; it must be true or false");
        }

        return (new CallOptions(TimeSpan.FromSeconds(timeout), stdout), null);
    }
}
