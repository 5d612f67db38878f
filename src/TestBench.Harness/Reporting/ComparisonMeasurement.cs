using TestBench.Harness.Judging.Comparison;

namespace TestBench.Harness.Reporting;

/// <summary>One test compared on a baseline and a candidate, as the results file keeps it: the verdict with its ratio,
/// interval, p and threshold, and every pair of blocks.</summary>
public sealed record ComparisonMeasurement
{
    public required string Workflow { get; init; }

    public required string Test { get; init; }

    /// <summary>The platform kind both sides are (<c>local</c>, <c>racetrack</c>…).</summary>
    public required string Target { get; init; }

    public required ComparisonVerdict Verdict { get; init; }

    /// <summary>Candidate over baseline (the geometric mean of the pairs' ratios of block medians).</summary>
    public required double Ratio { get; init; }

    /// <summary>The interval's lower end; <see langword="null"/> when unbounded (fewer than two pairs).</summary>
    public required double? RatioLow { get; init; }

    /// <summary>The interval's upper end; <see langword="null"/> when unbounded.</summary>
    public required double? RatioHigh { get; init; }

    public required double P { get; init; }

    public required double Threshold { get; init; }

    public required double Alpha { get; init; }

    /// <summary>The most looks the comparison could take: worse and better were tested at <see cref="Alpha"/> / this at
    /// each. <value>1 (files written before looks were counted).</value></summary>
    public int Looks { get; init; } = 1;

    /// <summary>Why the verdict was held back, when the machine was disturbed.</summary>
    public string? Caveat { get; init; }

    /// <summary>The verdict in one sentence (<see cref="ComparisonJudgement.Describe"/>).</summary>
    public required string Sentence { get; init; }

    public required IReadOnlyList<ComparedPair> Pairs { get; init; }

    /// <summary>Seconds the pairs took (the warm-up blocks excluded).</summary>
    public required double Seconds { get; init; }

    public required DateTimeOffset At { get; init; }

    public static ComparisonMeasurement Of(string workflow, string test, string target, ComparisonRun run, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(run);
        var judgement = run.Judgement;
        return new ComparisonMeasurement
        {
            Workflow = workflow,
            Test = test,
            Target = target,
            Verdict = judgement.Verdict,
            Ratio = judgement.Ratio,
            RatioLow = judgement.Low > 0 ? judgement.Low : null,
            RatioHigh = double.IsFinite(judgement.High) ? judgement.High : null,
            P = judgement.P,
            Threshold = judgement.Policy.Threshold,
            Alpha = judgement.Policy.Alpha,
            Looks = judgement.Policy.Looks,
            Caveat = judgement.Caveat,
            Sentence = judgement.Describe(),
            Pairs = [.. run.Pairs.Select(p => new ComparedPair(p.BaselineFirst, p.Baseline.MedianSeconds * 1000, p.Candidate.MedianSeconds * 1000, p.Baseline.Calls, p.Candidate.Calls) { Instance = p.Baseline.Instance })],
            Seconds = run.Elapsed.TotalSeconds,
            At = at,
        };
    }
}

/// <summary>One pair of blocks as the results file keeps it.</summary>
/// <param name="BaselineFirst">Which side ran first.</param>
/// <param name="BaselineMedianMs">The baseline block's median latency.</param>
/// <param name="CandidateMedianMs">The candidate block's median latency.</param>
/// <param name="BaselineCalls">The baseline block's calls.</param>
/// <param name="CandidateCalls">The candidate block's calls.</param>
public sealed record ComparedPair(bool BaselineFirst, double BaselineMedianMs, double CandidateMedianMs, long BaselineCalls, long CandidateCalls)
{
    /// <summary>The instance pair that ran it (from 0).</summary>
    public int Instance { get; init; }
}
