using TestBench.Harness.Running;

namespace TestBench.Harness.Reporting;

/// <summary>
/// What happened to a run's export and benchmark cases: how many ran (passed or failed) and why the others were
/// skipped, reasons grouped. A run in which every such case was skipped measured nothing, and says so first.
/// </summary>
public sealed partial class CaseTally
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, int> skipReasons = new(StringComparer.Ordinal);

    /// <summary>Export and benchmark cases that ran to a verdict (passed or failed).</summary>
    public int Ran { get; private set; }

    /// <summary>Export and benchmark cases that were skipped.</summary>
    public int Skipped { get; private set; }

    public int Total => Ran + Skipped;

    /// <summary>Whether cases that measure were attempted and every one of them was skipped.</summary>
    public bool NothingMeasured => Total > 0 && Ran == 0;

    /// <summary>Counts a case; clean-up and load cases measure nothing and are not counted.</summary>
    public void Add(CaseStage stage, bool skipped, string? skipReason)
    {
        if (stage is not (CaseStage.Export or CaseStage.Benchmark))
        {
            return;
        }

        lock (sync)
        {
            if (!skipped)
            {
                Ran++;
                return;
            }

            Skipped++;
            var reason = Reason(skipReason);
            skipReasons[reason] = skipReasons.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>
    /// One line: <c>0 of 28 export and benchmark cases ran: 28 skipped — environment 'Python 2.7' … (10); …</c>, most
    /// frequent reason first; <see langword="null"/> when nothing was skipped.
    /// </summary>
    public string? Describe()
    {
        lock (sync)
        {
            if (Skipped == 0)
            {
                return null;
            }

            var reasons = skipReasons.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => $"{pair.Key} ({pair.Value})");
            var lead = Ran == 0 ? "NOTHING MEASURED: " : "";
            return $"{lead}{Ran} of {Total} export and benchmark cases ran; {Skipped} skipped — {string.Join("; ", reasons)}";
        }
    }

    /// <summary>
    /// The root reason: without the "Skipped: " that skip messages start with, without "blocked by …: " (a case blocked by
    /// an earlier export is skipped for that export's reason) and without a trailing full stop.
    /// </summary>
    private static string Reason(string? message)
    {
        var reason = (message ?? "no reason given").Trim();
        reason = reason.StartsWith("Skipped: ", StringComparison.Ordinal) ? reason["Skipped: ".Length..] : reason;
        return Blocked().Replace(reason, "").TrimEnd('.');
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(blocked by [^:]+: )+")]
    private static partial System.Text.RegularExpressions.Regex Blocked();
}
