namespace TestBench.Harness.Workflows;

/// <summary>
/// Finds the workflow files in a folder: every <c>*.json</c> whose name has no further dot, in ordinal name
/// order. Companion files such as <c>x.ratchet.json</c> or <c>x.y.verified.json</c> are not workflows.
/// </summary>
public static class WorkflowCatalog
{
    /// <summary>The workflow files in <paramref name="workflowsDirectory"/>, optionally narrowed to one name.</summary>
    /// <param name="workflowsDirectory">The folder to look in (not searched recursively).</param>
    /// <param name="onlyName">A workflow name (file name without <c>.json</c>; a trailing <c>.json</c> is
    /// tolerated) to keep, as the original tool's <c>WORKFLOW_NAME</c> did; <see langword="null"/> keeps all.</param>
    public static IReadOnlyList<string> Find(string workflowsDirectory, string? onlyName = null)
    {
        if (!Directory.Exists(workflowsDirectory))
        {
            return [];
        }

        var wanted = string.IsNullOrWhiteSpace(onlyName) ? null : Path.GetFileNameWithoutExtension(onlyName.Trim());
        return Directory.EnumerateFiles(workflowsDirectory, "*.json", SearchOption.TopDirectoryOnly)
            .Where(path => !Path.GetFileNameWithoutExtension(path).Contains('.', StringComparison.Ordinal))
            .Where(path => wanted is null || Path.GetFileNameWithoutExtension(path) == wanted)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
