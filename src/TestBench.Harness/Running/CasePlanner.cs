using TestBench.Harness.Workflows;

namespace TestBench.Harness.Running;

/// <summary>
/// Decides which cases a workflow becomes: one export case per algorithm in file order, one benchmark case per
/// test entry in file order, then one (opt-in) clean-up case; a file that failed to load becomes a single <see cref="CaseStage.Load"/>
/// case, so the failure shows up under the file's name while every other workflow still runs.
/// </summary>
public static class CasePlanner
{
    /// <summary>The cases of a comparison run on <paramref name="kind"/>: one per test entry, comparing it on a baseline
    /// and a candidate, then the clean-up; no export cases, because a comparison judges no export against bars.</summary>
    public static IReadOnlyList<PlannedCase> PlanComparison(WorkflowLoadResult result, string kind) =>
        [.. Plan(result).Where(c => c.Stage != CaseStage.Export).Select(c => c.Stage == CaseStage.Benchmark ? c with { ComparedOn = kind } : c)];

    /// <summary>The cases for one loaded (or failed) workflow file.</summary>
    public static IReadOnlyList<PlannedCase> Plan(WorkflowLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Workflow is not { } workflow)
        {
            return [new PlannedCase { Workflow = result.Name, File = result.File, Stage = CaseStage.Load, Subject = result.File, Sequence = 0 }];
        }

        var exports = workflow.Algorithms.Select((algorithm, index) => new PlannedCase
        {
            Workflow = workflow.Name,
            File = workflow.File,
            Stage = CaseStage.Export,
            Algorithm = algorithm.Name,
            Subject = algorithm.Name,
            Sequence = index,
        });
        var tests = workflow.TestInfo?.Tests ?? [];
        var benchmarks = tests.Select((test, index) => new PlannedCase
        {
            Workflow = workflow.Name,
            File = workflow.File,
            Stage = CaseStage.Benchmark,
            Algorithm = workflow.TestInfo!.Entrypoint,
            Subject = test.Name,
            Sequence = workflow.Algorithms.Count + index,
        });
        var cleanup = new PlannedCase
        {
            Workflow = workflow.Name,
            File = workflow.File,
            Stage = CaseStage.Cleanup,
            Subject = "delete exported algorithms",
            Sequence = workflow.Algorithms.Count + tests.Count,
        };
        return [.. exports, .. benchmarks, cleanup];
    }
}
