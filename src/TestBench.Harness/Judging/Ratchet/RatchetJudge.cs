using TestBench.Harness.Measuring;

namespace TestBench.Harness.Judging.Ratchet;

/// <summary>
/// Judges a test's sample against its bar: latency (every counted call) and, for trials large and many enough,
/// throughput (one value per trial) are each compared with the bar's reference sample (<see cref="SampleComparer"/>). A worse
/// measure is a regression unless the machine was disturbed (<see cref="NoiseGuard"/>); an undecided one asks for
/// more trials; a better one, on a quiet machine, proposes a raised bar that never loosens a value.
/// </summary>
public sealed class RatchetJudge(VerdictPolicy policy, CeilingPolicy ceilings)
{
    public VerdictPolicy Policy => policy;

    public RatchetOutcome Judge(Bar? bar, TestSample sample, NoiseReading noise, RunIdentity run)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(run);
        var load = sample.Summarize();
        // Throughput is one value per trial: judged only with trials of enough calls, and enough trials to compare
        // (an open-model test's single trial delivers its fixed rate; its latency is what tells).
        var withThroughput = sample.CallsPerTrial >= policy.MinCallsForThroughput && sample.Trials.Count >= policy.MinSampleSize;
        var evidence = ReferenceSample.From(sample, run, withThroughput);
        var measured = ceilings.Ceilings(load) with { Reference = evidence };
        if (bar is null)
        {
            return new RatchetOutcome(RatchetVerdict.FirstBar, measured, ["no bar yet: this sample becomes the first one"]) { Noise = noise };
        }

        if (bar.Reference is null)
        {
            // A bar from before statistical verdicts: judged by its ceilings; unless it failed, the received file gives it this sample as its evidence.
            var legacy = ceilings.Check(bar, load);
            var proposed = legacy.Verdict == RatchetVerdict.Regressed ? null : CeilingPolicy.Tighten(bar, legacy.Proposed ?? bar) with { Reference = evidence, Noise = bar.Noise };
            return legacy with { Proposed = proposed, Reasons = [.. legacy.Reasons, "the bar has no reference sample yet, so it was judged by its ceilings"], Noise = noise };
        }

        var reference = bar.Reference;
        var comparisons = new List<MeasureComparison>
        {
            SampleComparer.Compare("latency p50", "ms", reference.LatencyMs, sample.LatenciesMs, higherIsWorse: true,
                policy.LatencyThresholdOf(bar), policy.LatencyFloorMs, policy.Alpha, policy.MinSampleSize),
        };
        if (withThroughput && reference.Throughput is { Count: > 0 } throughput)
        {
            comparisons.Add(SampleComparer.Compare("throughput", "calls/s", throughput, sample.TrialThroughputs, higherIsWorse: false,
                policy.ThroughputThresholdOf(bar), 0, policy.Alpha, policy.MinSampleSize));
        }

        var warnings = reference.Machine == run.Machine ? [] : new[] { $"warning: the bar was measured on another machine ({reference.Machine}); this run is on {run.Machine}" };
        var outcome = Decide(bar, measured, comparisons, noise);
        return outcome with { Reasons = [.. outcome.Reasons, .. warnings], Noise = noise };
    }

    /// <summary>
    /// Raises a bar on the history's evidence (issue #28): the test's latest runs are lastingly faster than the ones
    /// before, beyond the threshold, though this run alone is within its bar. The run's latency sample becomes the
    /// reference and the ceilings tighten; throughput keeps its reference, since the history judged medians.
    /// <see langword="null"/> when there is no bar with a reference sample to raise.
    /// </summary>
    /// <param name="bar">The test's verified bar.</param>
    /// <param name="sample">This run's sample, all calls succeeded, on a quiet machine.</param>
    /// <param name="run">This run.</param>
    /// <param name="evidence">The history's sentence, kept as the reason.</param>
    public RatchetOutcome? RaiseOnHistory(Bar? bar, TestSample sample, RunIdentity run, string evidence)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(run);
        if (bar?.Reference is not { } reference)
        {
            return null;
        }

        var measured = ReferenceSample.From(sample, run, withThroughput: false);
        var raised = CeilingPolicy.Tighten(bar, ceilings.Ceilings(sample.Summarize()) with { Reference = measured }) with
        {
            Noise = bar.Noise,
            Reference = measured with { Throughput = reference.Throughput },
        };
        return new RatchetOutcome(RatchetVerdict.Improved, raised, [$"within the bar in this run, but the history shows a lasting improvement: {evidence}"]);
    }

    private RatchetOutcome Decide(Bar bar, Bar measured, List<MeasureComparison> comparisons, NoiseReading noise)
    {
        var worse = comparisons.Where(c => c.Change == MeasureChange.Worse).ToArray();
        if (worse.Length > 0)
        {
            var regressions = worse.Select(c => $"{c.Describe()}; beyond the practical threshold of {c.Threshold}").ToArray();
            if (!noise.Disturbed)
            {
                return new RatchetOutcome(RatchetVerdict.Regressed, null, noise.Io is { IsNegligible: false } io ? [.. regressions, io.Describe()] : regressions);
            }

            return policy.Strict
                ? new RatchetOutcome(RatchetVerdict.Regressed, null, [.. regressions, $"the machine was noisy ({noise.Describe()}), and strict mode fails it anyway"])
                : new RatchetOutcome(RatchetVerdict.Inconclusive, null, [$"inconclusive: machine noisy ({noise.Describe()})", .. regressions.Select(r => $"would be regressed: {r}")]) { NoiseGuarded = true };
        }

        var undecided = comparisons.Where(c => c.Change == MeasureChange.Undecided).ToArray();
        if (undecided.Length > 0)
        {
            return new RatchetOutcome(RatchetVerdict.Inconclusive, null, [.. undecided.Select(c => $"undecided: {c.Describe()}; more trials could tell")]);
        }

        var better = comparisons.Where(c => c.Change == MeasureChange.Better).ToArray();
        var same = comparisons.Where(c => c.Change == MeasureChange.Same).Select(c => $"{c.Describe()}; within the practical threshold of {c.Threshold}");
        if (better.Length == 0 || noise.Disturbed)
        {
            var ignored = better.Select(c => $"{c.Describe()}; better, but no raise is proposed from a noisy machine ({noise.Describe()})");
            return new RatchetOutcome(RatchetVerdict.Same, null, [.. same, .. ignored]);
        }

        // Only the measures shown better take the run's sample; the others keep theirs, so no value loosens.
        var reference = bar.Reference!;
        var evidence = measured.Reference!;
        var latencyBetter = better.Any(c => c.Measure.StartsWith("latency", StringComparison.Ordinal));
        var throughputBetter = better.Any(c => c.Measure == "throughput");
        var raised = CeilingPolicy.Tighten(bar, measured) with
        {
            Noise = bar.Noise,
            Reference = evidence with
            {
                LatencyMs = latencyBetter ? evidence.LatencyMs : reference.LatencyMs,
                Throughput = throughputBetter ? evidence.Throughput : reference.Throughput,
            },
        };
        return new RatchetOutcome(RatchetVerdict.Improved, raised, [.. better.Select(c => $"{c.Describe()}; better beyond the practical threshold of {c.Threshold}"), .. same]);
    }
}
