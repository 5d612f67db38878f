using TestBench.Harness.Export;
using TestBench.Harness.Measuring;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// One workflow's bars for a run: judges each test's sample against its verified bar, and keeps the received file
/// up to date with every raised or first bar of the run (the verified file is never touched). The received file
/// also carries a calibration baseline when the verified one has none of this machine.
/// </summary>
public sealed class RatchetBook
{
    private readonly ApprovalFiles files;
    private readonly BarDocument verified;
    private readonly Dictionary<string, Bar> proposed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, ExportBar>> proposedExports = new(StringComparer.Ordinal);
    private readonly RatchetJudge judge;
    private readonly RunIdentity run;
    private readonly Lock sync = new();
    private CalibrationSample? proposedCalibration;

    public RatchetBook(string workflowsDirectory, string workflow, RatchetJudge judge, RunIdentity run)
    {
        files = ApprovalFiles.Bars(workflowsDirectory, workflow);
        verified = BarFile.Read(VerifiedPath);
        this.judge = judge;
        this.run = run;
        Guard = new NoiseGuard(verified.Calibration, judge.Policy);
    }

    public string VerifiedPath => files.Verified;

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
                return proposed.Count + proposedExports.Count > 0 ? files.Received : null;
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
            WriteReceived(calibration);
        }

        var what = outcome.Verdict switch
        {
            RatchetVerdict.Improved => "bar raised",
            RatchetVerdict.FirstBar => "first bar recorded",
            _ => "reference sample added to the bar",
        };
        return $"{reasons}. {what}; {HowToAccept()}";
    }

    /// <summary>
    /// Confirms the regressions among <paramref name="outcomes"/> with a second export's <paramref name="remeasured"/>
    /// values (judged alike, the machine calibrated around the second export): a regression stands only when the
    /// second value regresses too; otherwise it becomes <see cref="RatchetVerdict.Inconclusive"/>, both values in its reason.
    /// Writes nothing: a second export never raises a bar.
    /// </summary>
    public IReadOnlyList<ExportOutcome> ConfirmExport(string algorithm, IReadOnlyList<ExportOutcome> outcomes, IReadOnlyList<ExportMeasure> remeasured, IReadOnlyList<CalibrationSample> calibrations)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(remeasured);
        var noise = Guard.Assess(calibrations);
        var exportJudge = new ExportJudge(judge.Policy);
        return [.. outcomes.Select(outcome =>
        {
            if (outcome.Verdict != RatchetVerdict.Regressed)
            {
                return outcome;
            }

            var again = remeasured.FirstOrDefault(m => m.Name == outcome.Measure.Name) is { } measure
                ? exportJudge.Judge(ExportBarOf(algorithm, measure.Name), measure, noise, run)
                : null;
            return again?.Verdict == RatchetVerdict.Regressed
                ? outcome with { Reason = $"{outcome.Reason}; confirmed by a second export: {again.Reason}" }
                : outcome with
                {
                    Verdict = RatchetVerdict.Inconclusive,
                    Proposed = null,
                    Reason = $"a regression not confirmed by a second export: the first measured {outcome.Reason}; the second {(again is null ? "did not measure it" : $"was {again.Verdict.ToString().ToLowerInvariant()}: {again.Reason}")}",
                };
        })];
    }

    /// <summary>The verified bar of an algorithm's export measure, if it has one.</summary>
    public ExportBar? ExportBarOf(string algorithm, string measure) => verified.Exports?.GetValueOrDefault(algorithm)?.GetValueOrDefault(measure);

    /// <summary>Judges every measure of an algorithm's export against its bar and records proposed bars at once.</summary>
    /// <param name="algorithm">The template name.</param>
    /// <param name="measures">What the export measured.</param>
    /// <param name="calibrations">Calibrations taken around the export (before and after): the noise guard's readings.</param>
    /// <returns>The outcomes, and a note naming the received file when a bar was proposed.</returns>
    public (IReadOnlyList<ExportOutcome> Outcomes, string? Note) RecordExport(string algorithm, IReadOnlyList<ExportMeasure> measures, IReadOnlyList<CalibrationSample> calibrations)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentOutOfRangeException.ThrowIfZero(calibrations?.Count ?? 0, nameof(calibrations));
        var noise = Guard.Assess(calibrations!);
        var exportJudge = new ExportJudge(judge.Policy);
        var outcomes = measures.Select(measure => exportJudge.Judge(ExportBarOf(algorithm, measure.Name), measure, noise, run)).ToArray();
        var proposals = outcomes.Where(o => o.Proposed is not null).ToArray();
        if (proposals.Length == 0)
        {
            return (outcomes, null);
        }

        lock (sync)
        {
            var bars = proposedExports.TryGetValue(algorithm, out var existing) ? existing : proposedExports[algorithm] = new Dictionary<string, ExportBar>(StringComparer.Ordinal);
            foreach (var outcome in proposals)
            {
                bars[outcome.Measure.Name] = outcome.Proposed!;
            }

            WriteReceived(calibrations![0]);
        }

        return (outcomes, $"export bars of {algorithm}: {string.Join(", ", proposals.Select(p => $"{p.Measure.Name} {(p.Verdict == RatchetVerdict.Improved ? "raised" : "first bar")}"))}; {HowToAccept()}");
    }

    /// <summary>Writes the verified bars with every proposal of this run over them; call under the lock.</summary>
    private void WriteReceived(CalibrationSample calibration)
    {
        if (verified.Calibration?.Machine != run.Machine)
        {
            proposedCalibration ??= calibration;
        }

        var tests = verified.Tests.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);
        foreach (var (name, bar) in proposed)
        {
            tests[name] = bar;
        }

        var exports = (verified.Exports ?? new Dictionary<string, IReadOnlyDictionary<string, ExportBar>>())
            .ToDictionary(e => e.Key, e => e.Value.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (algorithm, measures) in proposedExports)
        {
            var merged = exports.TryGetValue(algorithm, out var known) ? known : exports[algorithm] = new Dictionary<string, ExportBar>(StringComparer.Ordinal);
            foreach (var (measure, bar) in measures)
            {
                merged[measure] = bar;
            }
        }

        BarFile.Write(files.Received, new BarDocument(tests)
        {
            Calibration = proposedCalibration ?? verified.Calibration,
            Exports = exports.Count == 0 ? null : exports.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, ExportBar>)e.Value, StringComparer.Ordinal),
        });
    }

    /// <summary>Where the received file is and the one-liner that accepts it.</summary>
    private string HowToAccept() => $"written to {files.Relative().Received}. Accept it with: {files.AcceptCommand()}";
}
