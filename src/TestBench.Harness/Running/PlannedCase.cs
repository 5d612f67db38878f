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

    /// <summary>The target, shown after the workflow when the run has several (<c>hello_world › racetrack › basic test</c>);
    /// <see langword="null"/> when it has one, so single-target names stay as they were.</summary>
    public string? Target { get; init; }

    /// <summary>In a comparison run, the kind both sides are: the case compares its test on a baseline and a candidate
    /// (<c>hello_world › local: baseline vs candidate › basic test</c>); <see langword="null"/> in a benchmark run.</summary>
    public string? ComparedOn { get; init; }

    /// <summary>The name shown in the IDE, the console and TRX files; it always starts with the workflow (and the target,
    /// when the run has several), because TRX files carry no traits.</summary>
    public string DisplayName => (ComparedOn is not null ? $"{Workflow} › {ComparedOn}: baseline vs candidate" : Target is null ? Workflow : $"{Workflow} › {Target}") + Stage switch
    {
        CaseStage.Load => $" › load › {File}",
        CaseStage.Export => $" › export › {Subject}",
        CaseStage.Cleanup => $" › cleanup › {Subject}",
        _ => $" › {Subject}",
    };
}
