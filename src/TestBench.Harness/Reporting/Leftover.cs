namespace TestBench.Harness.Reporting;

/// <summary>What the run's clean-up could not delete on a target, why, and how to delete it later.</summary>
/// <param name="Target">The target (<c>local</c>, <c>racetrack</c>…).</param>
/// <param name="Workflow">The workflow whose exports they are.</param>
/// <param name="Items">What was left: exported algorithms (<c>owner/name</c>), jobs (<c>name version</c>), orchestrations.</param>
/// <param name="Why">What the clean-up met.</param>
/// <param name="HowToDelete">A command that deletes them.</param>
public sealed record Leftover(string Target, string Workflow, IReadOnlyList<string> Items, string Why, string HowToDelete)
{
    /// <summary>The clean-up case's command: it deletes every TestBench export of the workflow on the target, this run's and earlier ones.</summary>
    public static string CleanupCommand(string workflow, string target) =>
        $"RUN_CLEANUP=true dotnet test tests/TestBench.Benchmarks --settings .runsettings --filter \"Workflow={workflow}&Stage=Cleanup&Target={target}\"";

    public string Describe() =>
        $"{Workflow} on {Target}: {(Items.Count == 0 ? "whatever the run created" : string.Join(", ", Items))} left behind ({Why}); delete with: {HowToDelete}";
}
