namespace TestBench.Harness.Ratchet;

/// <summary>
/// One workflow's bars for a run: judges each test's sample against its verified bar, and keeps the received file
/// up to date with every raised or first bar of the run (the verified file is never touched). The received file
/// also carries a calibration baseline when the verified one has none of this machine.
/// </summary>
public sealed class RatchetBook
{
    private readonly string receivedFile;
    private readonly BarDocument verified;
    private readonly Dictionary<string, Bar> proposed = new(StringComparer.Ordinal);
    private readonly RatchetJudge judge;
    private readonly RunIdentity run;
    private readonly Lock sync = new();
    private CalibrationSample? proposedCalibration;

    public RatchetBook(string workflowsDirectory, string workflow, RatchetJudge judge, RunIdentity run)
    {
        VerifiedPath = BarFile.VerifiedPath(workflowsDirectory, workflow);
        receivedFile = BarFile.ReceivedPath(workflowsDirectory, workflow);
        verified = BarFile.Read(VerifiedPath);
        this.judge = judge;
        this.run = run;
        Guard = new NoiseGuard(verified.Calibration, judge.Policy);
    }

    public string VerifiedPath { get; }

    public RunIdentity Run => run;

    /// <summary>Compares this run's calibrations with the verified baseline.</summary>
    public NoiseGuard Guard { get; }

    /// <summary>The received file, once this run proposed a raised or first bar; otherwise <see langword="null"/>.</summary>
    public string? ReceivedPath
    {
        get
        {
            lock (sync)
            {
                return proposed.Count > 0 ? receivedFile : null;
            }
        }
    }

    /// <summary>Judges samples against bars; writes nothing (trials may still be added).</summary>
    public RatchetJudge Judge => judge;

    /// <summary>The test's verified bar, if it has one.</summary>
    public Bar? BarOf(string test) => verified.Tests.GetValueOrDefault(test);

    /// <summary>Records a final outcome: a proposed bar is written to the received file at once.</summary>
    /// <param name="test">The test's name.</param>
    /// <param name="outcome">Its final outcome.</param>
    /// <param name="calibration">A calibration of this run, the baseline to propose when the verified file has none of this machine.</param>
    /// <returns>A note for the test output (the verdict's reasons, and the received file with how to accept it).</returns>
    public string Record(string test, RatchetOutcome outcome, CalibrationSample calibration)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(calibration);
        var reasons = $"bar of '{test}': {outcome.Verdict.ToString().ToLowerInvariant()}: {string.Join("; ", outcome.Reasons)}";
        if (outcome.Proposed is null)
        {
            return reasons;
        }

        lock (sync)
        {
            proposed[test] = outcome.Proposed;
            if (verified.Calibration?.Machine != run.Machine)
            {
                proposedCalibration ??= calibration;
            }

            var all = verified.Tests.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);
            foreach (var (name, bar) in proposed)
            {
                all[name] = bar;
            }

            BarFile.Write(receivedFile, new BarDocument(all) { Calibration = proposedCalibration ?? verified.Calibration });
        }

        // Paths relative to the repository (the folder holding workflows/), so the one-liner works from there.
        var root = Path.GetDirectoryName(Path.GetDirectoryName(VerifiedPath))!;
        var received = Path.GetRelativePath(root, receivedFile);
        var accepted = Path.GetRelativePath(root, VerifiedPath);
        var what = outcome.Verdict switch
        {
            RatchetVerdict.Improved => "bar raised",
            RatchetVerdict.FirstBar => "first bar recorded",
            _ => "reference sample added to the bar",
        };
        return $"{reasons}. {what}; written to {received}. Accept it with: mv {received} {accepted}";
    }
}
