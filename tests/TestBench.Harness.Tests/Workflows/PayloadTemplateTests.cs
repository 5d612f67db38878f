using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Workflows;

public sealed class PayloadTemplateTests
{
    [Fact]
    public void Render_PlaceholderAtAnyDepth_ReplacesEveryOccurrence()
    {
        var payload = Parse("""
            { "image": "data://.my/<algo>/a.jpeg",
              "boxes": [ { "save": ["data://.my/<algo>/out.jpeg", { "deep": "<algo>-<algo>" }] } ],
              "count": 3, "flag": true, "none": null }
            """);

        var rendered = PayloadTemplate.Render(payload, "Smart_1")!.ToJsonString();

        rendered.Should().Be("""{"image":"data://.my/Smart_1/a.jpeg","boxes":[{"save":["data://.my/Smart_1/out.jpeg",{"deep":"Smart_1-Smart_1"}]}],"count":3,"flag":true,"none":null}""");
    }

    [Fact]
    public void Render_WithUser_ReplacesMyInDataAndAlgoUris()
    {
        var payload = Parse("""["data://.my/<algo>/a.jpeg", "algo://.my/Classifier/latestPrivate", "data://.algo/temp/x", ".my"]""");

        var rendered = PayloadTemplate.Render(payload, "A_1", user: "testbench")!.ToJsonString();

        rendered.Should().Be("""["data://testbench/A_1/a.jpeg","algo://testbench/Classifier/latestPrivate","data://.algo/temp/x",".my"]""");
    }

    [Fact]
    public void Render_WithoutUser_KeepsMyForTheServer()
    {
        var rendered = PayloadTemplate.Render(Parse("\"data://.my/<algo>/f\""), "A_1")!.ToJsonString();

        rendered.Should().Be("\"data://.my/A_1/f\"");
    }

    [Fact]
    public void Render_PropertyNames_AreLeftAlone()
    {
        var rendered = PayloadTemplate.Render(Parse("""{"<algo>": "<algo>"}"""), "A_1")!.AsObject();

        rendered.Should().ContainSingle().Which.Should().Match<KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>>(
            p => p.Key == "<algo>" && p.Value!.GetValue<string>() == "A_1");
    }

    [Theory]
    [InlineData("10", "10")]
    [InlineData("null", "null")]
    [InlineData("\"Algorithmia\"", "\"Algorithmia\"")]
    public void Render_ScalarWithoutPlaceholder_IsUnchanged(string json, string expected)
    {
        var rendered = PayloadTemplate.Render(Parse(json), "A_1");

        (rendered?.ToJsonString() ?? "null").Should().Be(expected);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
