namespace TestBench.Harness.Running;

/// <summary>One case the benchmark generates for a workflow, independent of any test framework.</summary>
public sealed record PlannedCase
{
    /// <summary>The workflow name: the <c>Workflow</c> trait.</summary>
    public required string Workflow { get; init; }

    /// <summary>The workflow file, relative to the repository root.</summary>
    public required string File { get; init; }

    /// <summary>The stage: the <c>Stage</c> trait.</summary>
    public required CaseStage Stage { get; init; }

    /// <summary>The algorithm exported (export) or called (benchmark): the <c>Algorithm</c> trait;
    /// <see langword="null"/> for a file that failed to load.</summary>
    public string? Algorithm { get; init; }

    /// <summary>What the case is about: the algorithm for an export, the test name for a benchmark.</summary>
    public required string Subject { get; init; }

    /// <summary>The position of the case within its workflow; cases run in this order.</summary>
    public required int Sequence { get; init; }

    /// <summary>The name shown in the IDE, the console and TRX files; it always starts with the workflow,
    /// because TRX files carry no traits.</summary>
    public string DisplayName => Stage switch
    {
        CaseStage.Load => $"{Workflow} › load › {File}",
        CaseStage.Export => $"{Workflow} › export › {Subject}",
        CaseStage.Cleanup => $"{Workflow} › cleanup › {Subject}",
        _ => $"{Workflow} › {Subject}",
    };
}
