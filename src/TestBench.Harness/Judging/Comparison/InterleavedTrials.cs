namespace TestBench.Harness.Judging.Comparison;

/// <summary>
/// Runs a comparison as randomized multiple interleaved trials (Abedi &amp; Brecht, ICPE 2017): warm-up pairs of blocks
/// (<see cref="ComparisonBudget.WarmupPairs"/>, at least one), then pairs of blocks — one on each side, back to back, the order drawn at random for each pair — so both sides
/// meet the machine at nearly the same moment. The pairs are judged (<see cref="PairedComparison"/>) at
/// <see cref="ComparisonPolicy.MinPairs"/> pairs and each time their number doubles, and once more when the budget
/// ends: few looks, so asking for more data adds little to the false-alarm rate. A block with a failed call ends the
/// comparison with that side named.
/// </summary>
/// <param name="policy">Threshold, significance and the fewest pairs that decide.</param>
/// <param name="budget">The most pairs and the longest time.</param>
/// <param name="time">Measures the budget's time.</param>
/// <param name="order">Draws each pair's order (seeded in tests).</param>
public sealed class InterleavedTrials(ComparisonPolicy policy, ComparisonBudget budget, TimeProvider time, Random order)
{
    /// <summary>Runs the pairs until a verdict or the end of the budget.</summary>
    /// <param name="runBlock">Runs one block of the test's calls on a side.</param>
    /// <param name="disturbance">Why the machine is disturbed now, or <see langword="null"/> when it is quiet (the noise guard).</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <exception cref="ComparisonSideFailedException">A block had failed calls.</exception>
    public async Task<ComparisonRun> RunAsync(Func<ComparisonSide, CancellationToken, Task<Block>> runBlock, Func<string?> disturbance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runBlock);
        ArgumentNullException.ThrowIfNull(disturbance);
        policy.Validated();
        for (var warmup = 0; warmup < Math.Max(1, budget.WarmupPairs); warmup++)
        {
            foreach (var side in Enum.GetValues<ComparisonSide>())
            {
                // Warm-up: measured, checked for failures, not judged.
                Checked(await runBlock(side, cancellationToken).ConfigureAwait(false));
            }
        }

        var started = time.GetTimestamp();
        List<BlockPair> pairs = [];
        var nextLook = policy.MinPairs;
        while (true)
        {
            var baselineFirst = order.Next(2) == 0;
            var first = Checked(await runBlock(baselineFirst ? ComparisonSide.Baseline : ComparisonSide.Candidate, cancellationToken).ConfigureAwait(false));
            var second = Checked(await runBlock(baselineFirst ? ComparisonSide.Candidate : ComparisonSide.Baseline, cancellationToken).ConfigureAwait(false));
            pairs.Add(baselineFirst ? new BlockPair(pairs.Count, true, first, second) : new BlockPair(pairs.Count, false, second, first));
            var spent = pairs.Count >= budget.MaxPairs || time.GetElapsedTime(started) >= budget.MaxDuration;
            if (pairs.Count < nextLook && !spent)
            {
                continue;
            }

            nextLook *= 2;
            var judgement = PairedComparison.Judge([.. pairs.Select(p => p.LogRatio)], policy, spent, disturbance());
            if (judgement.Verdict != ComparisonVerdict.NeedMoreData)
            {
                return new ComparisonRun(pairs, judgement, time.GetElapsedTime(started));
            }
        }
    }

    private static Block Checked(Block block) => block switch
    {
        { Failures: > 0 } => throw new ComparisonSideFailedException(block.Side, block),
        { Calls: 0 } => throw new ComparisonSideFailedException(block.Side, block, "it made no call"),
        { MedianSeconds: > 0 } when double.IsFinite(block.MedianSeconds) => block,
        _ => throw new ComparisonSideFailedException(block.Side, block, FormattableString.Invariant($"its median latency is {block.MedianSeconds} s")),
    };
}

/// <summary>A comparison's pairs, in the order they ran, its verdict, and how long the pairs took.</summary>
public sealed record ComparisonRun(IReadOnlyList<BlockPair> Pairs, ComparisonJudgement Judgement, TimeSpan Elapsed);
