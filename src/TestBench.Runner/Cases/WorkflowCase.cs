using TestBench.Harness.Running;
using Xunit.Abstractions;

namespace TestBench.Runner.Cases;

/// <summary>
/// The argument of a generated case: which workflow, stage and subject it is about. It travels between
/// discovery and execution (IDE, <c>dotnet test</c>), so every field is serialized; the case's unique ID is a
/// hash of these values, and the (workflow, stage, subject) triple is unique by validation.
/// </summary>
public sealed class WorkflowCase : IXunitSerializable
{
    /// <summary>For the deserializer only.</summary>
    public WorkflowCase()
    {
    }

    public WorkflowCase(PlannedCase planned, string target)
    {
        ArgumentNullException.ThrowIfNull(planned);
        Workflow = planned.Workflow;
        File = planned.File;
        Stage = planned.Stage;
        Algorithm = planned.Algorithm;
        Subject = planned.Subject;
        Sequence = planned.Sequence;
        Target = target;
    }

    public string Workflow { get; private set; } = "";

    public string File { get; private set; } = "";

    public CaseStage Stage { get; private set; }

    public string? Algorithm { get; private set; }

    public string Subject { get; private set; } = "";

    public int Sequence { get; private set; }

    /// <summary><c>local</c> (embedded clusters) or <c>algorithmia</c> (a configured cluster).</summary>
    public string Target { get; private set; } = "";

    public PlannedCase ToPlanned() => new()
    {
        Workflow = Workflow,
        File = File,
        Stage = Stage,
        Algorithm = Algorithm,
        Subject = Subject,
        Sequence = Sequence,
    };

    public void Serialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.AddValue(nameof(Workflow), Workflow);
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(Stage), Stage.ToString());
        info.AddValue(nameof(Algorithm), Algorithm);
        info.AddValue(nameof(Subject), Subject);
        info.AddValue(nameof(Sequence), Sequence);
        info.AddValue(nameof(Target), Target);
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Workflow = info.GetValue<string>(nameof(Workflow));
        File = info.GetValue<string>(nameof(File));
        Stage = Enum.Parse<CaseStage>(info.GetValue<string>(nameof(Stage)));
        Algorithm = info.GetValue<string?>(nameof(Algorithm));
        Subject = info.GetValue<string>(nameof(Subject));
        Sequence = info.GetValue<int>(nameof(Sequence));
        Target = info.GetValue<string>(nameof(Target));
    }

    public override string ToString() => ToPlanned().DisplayName;
}
