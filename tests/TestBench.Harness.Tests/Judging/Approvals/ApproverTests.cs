using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Judging.Approvals;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Judging.Approvals;

public sealed class ApproverTests : IDisposable
{
    private readonly TempRepository repository = new();

    public void Dispose() => repository.Dispose();

    [Fact]
    public void Check_ExactMatch_Matches()
    {
        CreateSut().Check("wf", "t", Expect("""{"exact": {"a": [1, "x"]}}"""), JsonNode.Parse("""{"a": [1, "x"]}""")).Matched.Should().BeTrue();
    }

    [Fact]
    public void Check_ExactWithExtraField_NamesTheFields()
    {
        var result = CreateSut().Check("wf", "t", Expect("""{"exact": {"a": 1}}"""), JsonNode.Parse("""{"a": 1, "b": 2}"""));

        result.Matched.Should().BeFalse();
        result.Message.Should().Be("the result does not match expect.exact: $ has fields a, b; expected a");
    }

    [Fact]
    public void Check_SubsetAtDepth_IgnoresOtherFieldsButNotValues()
    {
        var actual = JsonNode.Parse("""{"labels": [{"label": "forest", "score": 0.9}], "extra": true}""");

        CreateSut().Check("wf", "t", Expect("""{"subset": {"labels": [{"label": "forest"}]}}"""), actual).Matched.Should().BeTrue();
        CreateSut().Check("wf", "t", Expect("""{"subset": {"labels": [{"label": "ocean"}]}}"""), actual).Message
            .Should().Be("the result does not match expect.subset: $.labels[0].label should be \"ocean\", but is \"forest\"");
    }

    [Fact]
    public void Check_SnapshotMissing_WritesScrubbedReceivedFileAndSaysHowToAccept()
    {
        var result = CreateSut().Check("wf", "my test", Expect("\"snapshot\""), JsonNode.Parse("""{"savePath": "data://.algo/temp/0123456789abcdef0123.jpeg", "duration": 0.123}"""));

        result.Matched.Should().BeFalse();
        result.Message.Should().Be("the result has no snapshot. Compare workflows/wf.my_test.received.json with workflows/wf.my_test.verified.json; accept it with: mv workflows/wf.my_test.received.json workflows/wf.my_test.verified.json");
        File.ReadAllText(Path.Combine(repository.WorkflowsDirectory, "wf.my_test.received.json"))
            .Should().Be("{\n  \"savePath\": \"data://.algo/temp/<temp>\",\n  \"duration\": \"<number>\"\n}\n");
    }

    [Fact]
    public void Check_SnapshotAccepted_MatchesNextRunDespiteVolatileValues()
    {
        var sut = CreateSut();
        sut.Check("wf", "t", Expect("\"snapshot\""), JsonNode.Parse("""{"id": "9b2e4c1a-0d3f-4e5a-8b7c-6d5e4f3a2b1c", "at": "2026-11-21T10:00:00.123Z", "algo": "Greeter_0a1b2c3d4e5f"}"""));
        var (verified, received) = sut.SnapshotFiles("wf", "t");
        File.Move(received, verified);

        var next = sut.Check("wf", "t", Expect("\"snapshot\""), JsonNode.Parse("""{"id": "00000000-1111-2222-3333-444444444444", "at": "2026-11-22T11:11:11Z", "algo": "Greeter_ffffffffffff"}"""));

        next.Matched.Should().BeTrue(next.Message);
        File.Exists(received).Should().BeFalse();
    }

    private Approver CreateSut() => new(repository.WorkflowsDirectory);

    private static JsonElement Expect(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
