namespace TestBench.Harness.Judging.Comparison;

/// <summary>How long a comparison may go on asking for more pairs.</summary>
public sealed record ComparisonBudget
{
    /// <summary>Pairs run first and not judged, so both sides' code paths settle (JIT tiers, caches, the worker's
    /// first calls) before anything counts. <value>5.</value></summary>
    public int WarmupPairs { get; init; } = 5;

    /// <summary>The warm-up also ends once it has run this long and <see cref="MinWarmupPairs"/> pairs: a test of slow
    /// calls (an image pipeline's block takes 5 s) is warm long before 5 of its pairs. <value>5 seconds.</value></summary>
    public TimeSpan WarmupDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The fewest warm-up pairs, however long they take: one block on each instance of each side (two instance
    /// pairs of embedded twins). <value>2.</value></summary>
    public int MinWarmupPairs { get; init; } = 2;

    /// <summary>The shortest span of judged pairs a verdict may rest on: pairs minutes apart are independent, pairs in
    /// the same half-second share whatever disturbed that half-second (an A/A comparison was once judged 15 % worse on 5
    /// pairs in 0.4 s). <value>3 seconds.</value></summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Undecided looks in a row on a disturbed machine after which the comparison ends inconclusive instead of
    /// spending its budget: with two busy loops beside it, every look of a run found the machine disturbed and each test
    /// ran to its 2 minutes for nothing. <value>3 (the looks at 5, 10 and 20 pairs).</value></summary>
    public int MaxDisturbedLooks { get; init; } = 3;

    /// <summary>The fewest pairs from which a comparison the budget cannot decide ends early (<see cref="Futility"/>):
    /// the look at 20 pairs, the third, so the scatter it rests on is measured on more than a few pairs. <value>20.</value></summary>
    public int FutilityFromPairs { get; init; } = 20;

    /// <summary>The most pairs the budget can still reach, at the pace of <paramref name="pairs"/> pairs in
    /// <paramref name="elapsed"/>: <see cref="MaxPairs"/>, or fewer when <see cref="MaxDuration"/> ends first.</summary>
    public int ReachablePairs(int pairs, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? MaxPairs : (int)Math.Clamp(pairs * (MaxDuration / elapsed), pairs, MaxPairs);

    /// <summary>The most pairs. <value>320.</value></summary>
    public int MaxPairs { get; init; } = 320;

    /// <summary>The longest the pairs may take, warm-up excluded; the pair running when it ends is finished. <value>2 minutes.</value></summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The most times <see cref="InterleavedTrials"/> judges the pairs within this budget: the first look at
    /// <paramref name="minPairs"/> pairs or later, each further one at twice the pairs of the last, up to
    /// <see cref="MaxPairs"/>, and one more when the time runs out in between (8 for 5 to 320 pairs).
    /// </summary>
    public int MaxLooks(int minPairs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minPairs, 1);
        var looks = 1;
        for (var pairs = minPairs; pairs * 2 <= MaxPairs; pairs *= 2)
        {
            looks++;
        }

        return looks + 1;
    }
}
