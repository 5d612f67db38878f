namespace TestBench.Harness.Judging.Comparison;

/// <summary>
/// Runs a comparison as randomized multiple interleaved trials (Abedi &amp; Brecht, ICPE 2017): warm-up pairs of blocks
/// (<see cref="ComparisonBudget.WarmupPairs"/>, or fewer once they span <see cref="ComparisonBudget.WarmupDuration"/>; at
/// least one, more until one pair has no failed call), then pairs of blocks — one on each side, back to back, the order drawn at random for each pair — so both sides
/// meet the machine at nearly the same moment. The pairs are judged (<see cref="PairedComparison"/>) at
/// <see cref="ComparisonPolicy.MinPairs"/> pairs (or later, once the pairs span <see cref="ComparisonBudget.MinDuration"/>),
/// then each time their number doubles, and once more when the budget ends (or after
/// <see cref="ComparisonBudget.MaxDisturbedLooks"/> undecided looks in a row on a disturbed machine, or once the pairs
/// scatter too much for the budget to decide: <see cref="Futility"/>). Every look is a
/// chance of a false worse, so worse and better are tested at α divided by the most looks the budget allows
/// (<see cref="ComparisonPolicy.Looks"/>). A block with a failed call ends the comparison with that side named.
/// </summary>
/// <param name="policy">Threshold, significance and the fewest pairs that decide.</param>
/// <param name="budget">The most pairs and the longest time.</param>
/// <param name="time">Measures the budget's time.</param>
/// <param name="order">Draws each pair's order (seeded in tests).</param>
public sealed class InterleavedTrials(ComparisonPolicy policy, ComparisonBudget budget, TimeProvider time, Random order)
{
    /// <summary>The policy with as many looks as the budget allows.</summary>
    private ComparisonPolicy Judging => policy with { Looks = budget.MaxLooks(policy.MinPairs) };

    /// <summary>Runs the pairs until a verdict or the end of the budget.</summary>
    /// <param name="runBlock">Runs one block of the test's calls on a side.</param>
    /// <param name="disturbance">Why the machine is disturbed now, or <see langword="null"/> when it is quiet (the noise guard).</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <exception cref="ComparisonSideFailedException">A block had failed calls.</exception>
    public async Task<ComparisonRun> RunAsync(Func<ComparisonSide, CancellationToken, Task<Block>> runBlock, Func<string?> disturbance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runBlock);
        ArgumentNullException.ThrowIfNull(disturbance);
        var judging = Judging.Validated();
        // Warm-up: measured, not judged. It goes on until a whole pair ran without a failed call (a server's first
        // moments under a rate may refuse calls), and gives up with the side named after three times its length.
        var warmupPairs = Math.Max(1, budget.WarmupPairs);
        var warmupStarted = time.GetTimestamp();
        for (var warmup = 1; ; warmup++)
        {
            Block[] pair = [await runBlock(ComparisonSide.Baseline, cancellationToken).ConfigureAwait(false), await runBlock(ComparisonSide.Candidate, cancellationToken).ConfigureAwait(false)];
            var failing = pair.FirstOrDefault(block => Problem(block) is not null || Saturated(block));
            var warm = warmup >= warmupPairs || (warmup >= budget.MinWarmupPairs && time.GetElapsedTime(warmupStarted) >= budget.WarmupDuration);
            if (failing is null && warm)
            {
                break;
            }

            if (failing is not null && warmup >= MaxWarmupPairs(warmupPairs))
            {
                // A failed call ends it naming the side; otherwise the side kept refusing the test's rate.
                Checked(failing);
                return BeyondRate([], pair, TimeSpan.Zero);
            }
        }

        var started = time.GetTimestamp();
        List<BlockPair> pairs = [];
        var nextLook = policy.MinPairs;
        var disturbedLooks = 0;
        while (true)
        {
            var baselineFirst = order.Next(2) == 0;
            var first = Checked(await runBlock(baselineFirst ? ComparisonSide.Baseline : ComparisonSide.Candidate, cancellationToken).ConfigureAwait(false));
            var second = Checked(await runBlock(baselineFirst ? ComparisonSide.Candidate : ComparisonSide.Baseline, cancellationToken).ConfigureAwait(false));
            if (Saturated(first) || Saturated(second))
            {
                return BeyondRate(pairs, [first, second], time.GetElapsedTime(started));
            }

            pairs.Add(baselineFirst ? new BlockPair(pairs.Count, true, first, second) : new BlockPair(pairs.Count, false, second, first));
            var elapsed = time.GetElapsedTime(started);
            var spent = pairs.Count >= budget.MaxPairs || elapsed >= budget.MaxDuration;
            if ((pairs.Count < nextLook || elapsed < budget.MinDuration) && !spent)
            {
                continue;
            }

            // Twice the pairs of this look, not of the last scheduled one: a first look held back by the shortest span
            // must not be followed by a look at every pair.
            nextLook = pairs.Count * 2;
            var disturbed = disturbance();
            var judgement = PairedComparison.Judge([.. pairs.Select(p => p.LogRatio)], judging, spent, disturbed, [.. pairs.Select(p => p.Baseline.Instance)]);
            if (judgement.Verdict != ComparisonVerdict.NeedMoreData)
            {
                return new ComparisonRun(pairs, judgement, time.GetElapsedTime(started));
            }

            if (pairs.Count >= budget.FutilityFromPairs && Futility.Reason([.. pairs.Select(p => p.LogRatio)], judging, budget.ReachablePairs(pairs.Count, elapsed), [.. pairs.Select(p => p.Baseline.Instance)]) is { } futile)
            {
                return new ComparisonRun(pairs, judgement with { Verdict = ComparisonVerdict.Inconclusive, Caveat = judgement.Caveat is null ? futile : $"{judgement.Caveat}; {futile}" }, time.GetElapsedTime(started));
            }

            disturbedLooks = disturbed is null ? 0 : disturbedLooks + 1;
            if (disturbedLooks >= budget.MaxDisturbedLooks)
            {
                var why = $"the machine was disturbed at {disturbedLooks} looks in a row ({disturbed}), so the comparison ended before its budget";
                return new ComparisonRun(pairs, judgement with { Verdict = ComparisonVerdict.Inconclusive, Caveat = judgement.Caveat is null ? why : $"{judgement.Caveat}; {why}" }, time.GetElapsedTime(started));
            }
        }
    }

    /// <summary>A window in which a side refused (or could not be sent) over half the calls: the test's rate is beyond
    /// what it serves here.</summary>
    private static bool Saturated(Block block) => double.IsPositiveInfinity(block.MedianSeconds);

    /// <summary>
    /// Ends a comparison at a rate a side does not serve: inconclusive, not failed, because over half of a window
    /// refused says how much the side can take, not how fast it answers (two embedded twins on one CPU both stop
    /// keeping up at 1000 calls/s); the caveat names the sides and their refusals, and the pairs so far stay.
    /// </summary>
    private ComparisonRun BeyondRate(List<BlockPair> pairs, Block[] blocks, TimeSpan elapsed)
    {
        var judgement = PairedComparison.Judge([.. pairs.Select(p => p.LogRatio)], Judging, budgetSpent: true, instanceOfPair: [.. pairs.Select(p => p.Baseline.Instance)]);
        var refusing = blocks.Where(Saturated).Select(b => $"the {b.Side.ToString().ToLowerInvariant()} refused or could not be sent over half of a window's {b.Calls} calls{(b.FirstError is null ? "" : $" (the first refusal: {b.FirstError})")}");
        return new ComparisonRun(pairs, judgement with { Verdict = ComparisonVerdict.Inconclusive, Caveat = $"{string.Join("; ", refusing)}: the test's rate is beyond what it serves here, so latencies cannot be compared" }, elapsed);
    }

    /// <summary>The most warm-up pairs a comparison runs waiting for one without failures.</summary>
    public static int MaxWarmupPairs(int warmupPairs) => 3 * Math.Max(1, warmupPairs);

    private static Block Checked(Block block) => Problem(block) is { } problem ? throw problem : block;

    private static ComparisonSideFailedException? Problem(Block block) => block switch
    {
        { Failures: > 0 } => new ComparisonSideFailedException(block.Side, block),
        { Calls: 0 } => new ComparisonSideFailedException(block.Side, block, "it made no call"),
        { MedianSeconds: double.PositiveInfinity } => null, // saturated: judged apart (BeyondRate)
        { MedianSeconds: > 0 } when double.IsFinite(block.MedianSeconds) => null,
        _ => new ComparisonSideFailedException(block.Side, block, FormattableString.Invariant($"its median latency is {block.MedianSeconds} s")),
    };
}

/// <summary>A comparison's pairs, in the order they ran, its verdict, and how long the pairs took.</summary>
public sealed record ComparisonRun(IReadOnlyList<BlockPair> Pairs, ComparisonJudgement Judgement, TimeSpan Elapsed);
