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

    /// <param name="planned">The case.</param>
    /// <param name="target">Its target's trait value.</param>
    /// <param name="namedByTarget">Whether the run has several targets, so the display name carries this one.</param>
    public WorkflowCase(PlannedCase planned, string target, bool namedByTarget = false)
    {
        ArgumentNullException.ThrowIfNull(planned);
        Workflow = planned.Workflow;
        File = planned.File;
        Stage = planned.Stage;
        Algorithm = planned.Algorithm;
        Subject = planned.Subject;
        Sequence = planned.Sequence;
        Target = target;
        NamedByTarget = namedByTarget;
        ComparedOn = planned.ComparedOn;
    }

    public string Workflow { get; private set; } = "";

    public string File { get; private set; } = "";

    public CaseStage Stage { get; private set; }

    public string? Algorithm { get; private set; }

    public string Subject { get; private set; } = "";

    public int Sequence { get; private set; }

    /// <summary><c>local</c> (embedded clusters), <c>algorithmia</c> (a configured cluster) or <c>racetrack</c>.</summary>
    public string Target { get; private set; } = "";

    /// <summary>Whether the display name carries the target (the run has several).</summary>
    public bool NamedByTarget { get; private set; }

    /// <summary>In a comparison run, the kind both sides are (see <see cref="PlannedCase.ComparedOn"/>).</summary>
    public string? ComparedOn { get; private set; }

    public PlannedCase ToPlanned() => new()
    {
        Workflow = Workflow,
        File = File,
        Stage = Stage,
        Algorithm = Algorithm,
        Subject = Subject,
        Sequence = Sequence,
        Target = NamedByTarget ? Target : null,
        ComparedOn = ComparedOn,
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
        info.AddValue(nameof(NamedByTarget), NamedByTarget);
        info.AddValue(nameof(ComparedOn), ComparedOn);
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
        NamedByTarget = info.GetValue<bool>(nameof(NamedByTarget));
        ComparedOn = info.GetValue<string?>(nameof(ComparedOn));
    }

    public override string ToString() => ToPlanned().DisplayName;
}
