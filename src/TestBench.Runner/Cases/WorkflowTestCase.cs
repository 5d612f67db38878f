using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestBench.Runner.Cases;

/// <summary>
/// A case generated from a workflow. Display name and traits are rebuilt in <see cref="Initialize"/> from the
/// serialized <see cref="WorkflowCase"/>, because xUnit does not serialize traits. Skips work as in
/// Xunit.SkippableFact: a <c>Xunit.SkipException</c> marks the case skipped with its reason.
/// </summary>
public sealed class WorkflowTestCase : SkippableFactTestCase
{
    private static readonly string[] SkippingExceptions = [typeof(Xunit.SkipException).FullName!];

    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public WorkflowTestCase()
    {
    }

    public WorkflowTestCase(IMessageSink diagnosticMessageSink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, WorkflowCase workflowCase)
        : base(SkippingExceptions, diagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, [workflowCase])
    {
    }

    /// <summary>The case's argument.</summary>
    public WorkflowCase Case => (WorkflowCase)TestMethodArguments[0];

    protected override void Initialize()
    {
        base.Initialize();
        var planned = Case.ToPlanned();
        DisplayName = planned.DisplayName;
        AddTrait("Workflow", Case.Workflow);
        AddTrait("Target", Case.Target);
        if (Case.Algorithm is not null)
        {
            AddTrait("Algorithm", Case.Algorithm);
        }

        if (Case.ComparedOn is not null)
        {
            AddTrait("Comparison", "baseline vs candidate");
        }

        // A file that failed to load blocks both stages; it carries both so that a stage filter still shows it.
        foreach (var stage in StageTraits(Case))
        {
            AddTrait("Stage", stage);
        }
    }

    private static IEnumerable<string> StageTraits(WorkflowCase workflowCase) =>
        workflowCase.Stage == Harness.Running.CaseStage.Load
            ? [nameof(Harness.Running.CaseStage.Load), nameof(Harness.Running.CaseStage.Export), nameof(Harness.Running.CaseStage.Benchmark)]
            : [workflowCase.Stage.ToString()];

    private void AddTrait(string name, string value)
    {
        if (!Traits.TryGetValue(name, out var values))
        {
            Traits[name] = values = [];
        }

        values.Add(value);
    }
}
