using System.Security.Cryptography;
using System.Text;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Export;

/// <summary>
/// The names a workflow's algorithms get on the destination: template name + <c>_</c> + a suffix per workflow.
/// With <c>run_only</c> the suffix is stable (derived from the workflow name), so a re-run finds its earlier
/// exports and skips unchanged work; otherwise it is random, so runs never collide.
/// </summary>
public sealed record ExportNames
{
    private ExportNames(string suffix, IReadOnlyDictionary<string, string> renames)
    {
        Suffix = suffix;
        Renames = renames;
    }

    public string Suffix { get; }

    /// <summary>Template name → exported name, for every algorithm of the workflow.</summary>
    public IReadOnlyDictionary<string, string> Renames { get; }

    public static ExportNames For(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var suffix = workflow.RunOnly
            ? "r" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(workflow.Name)))[..8].ToLowerInvariant()
            : Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        return new ExportNames(suffix, workflow.Algorithms.ToDictionary(a => a.Name, a => $"{a.Name}_{suffix}", StringComparer.Ordinal));
    }

    public string ExportedName(string templateName) => Renames[templateName];

    /// <summary>The same names, except <paramref name="templateName"/>'s: a fresh random one, for a second export of that
    /// algorithm beside the first (its dependencies keep their names, so a pipeline still calls them).</summary>
    public ExportNames WithFreshName(string templateName) =>
        new(Suffix, new Dictionary<string, string>(Renames, StringComparer.Ordinal) { [templateName] = $"{templateName}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}" });
}
