using FluentAssertions;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

public sealed class RunnerProtocolTests
{
    [Fact]
    public void ParseAnswer_Result_KeepsValueAndContentType()
    {
        var result = RunnerProtocol.ParseAnswer("""{"result": [1, 2], "metadata": {"content_type": "json"}}""", "hi\n", 0.5);

        result.Result!.Value.GetRawText().Should().Be("[1, 2]");
        result.ContentType.Should().Be("json");
        result.Stdout.Should().Be("hi\n");
        result.DurationSeconds.Should().Be(0.5);
    }

    [Fact]
    public void ParseAnswer_Error_KeepsMessageStacktraceAndType()
    {
        var result = RunnerProtocol.ParseAnswer("""{"error": {"message": "bad", "stacktrace": "Traceback", "error_type": "InputError"}}""", "", 0.1);

        result.Error.Should().Be(new AlgorithmError("bad", "Traceback", "InputError"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"result": 1}""")]
    [InlineData("""{"error": "flat"}""")]
    public void ParseAnswer_NeitherResultNorError_IsASystemErrorQuotingIt(string line)
    {
        var result = RunnerProtocol.ParseAnswer(line, "", 0.1);

        result.Error!.ErrorType.Should().Be("SystemError");
        result.Error.Message.Should().Be($"The runner answered with neither a result nor an error: {line}");
    }
}
