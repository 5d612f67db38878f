using System.Text;
using FluentAssertions;
using TestBench.Harness.Algorithmia;
using Xunit;

namespace TestBench.Harness.Tests.Algorithmia;

public sealed class CallResponseTests
{
    [Theory]
    [InlineData(200, """{"result":{"error":"only a field of the result"},"metadata":{"duration":0.5}}""")]
    [InlineData(200, "")]
    [InlineData(204, "\"plain\"")]
    public void Succeeded_TwoHundredWithoutTopLevelError_IsSuccess(int status, string body)
    {
        var response = Response(status, body);

        response.Succeeded.Should().BeTrue();
        response.ErrorMessage.Should().BeNull();
    }

    [Theory]
    [InlineData(200, """{"metadata":{"duration":0.1},"error":{"message":"boom","error_type":"AlgorithmError"}}""", "boom")]
    [InlineData(404, """{"error":"No such algorithm"}""", "No such algorithm")]
    [InlineData(500, "", "HTTP 500: (no body)")]
    [InlineData(200, "<html>gateway</html>", "HTTP 200, not JSON: <html>gateway</html>")]
    [InlineData(200, """{"result":1} trailing""", "HTTP 200, not JSON: {\"result\":1} trailing")]
    public void ErrorMessage_FailedAnswer_SaysWhat(int status, string body, string expected)
    {
        var response = Response(status, body);

        response.Succeeded.Should().BeFalse();
        response.ErrorMessage.Should().Be(expected);
    }

    [Fact]
    public void Body_SuccessfulAnswer_ParsedOnDemandWithMetadata()
    {
        var response = Response(200, """{"result":[1,2],"metadata":{"duration":0.25,"content_type":"json"}}""");

        response.Body!["result"]!.ToJsonString().Should().Be("[1,2]");
        response.PlatformSeconds.Should().Be(0.25);
        response.ContentType.Should().Be("json");
        response.ResponseBytes.Should().Be(67);
    }

    [Fact]
    public void NoAnswer_ClientDeadline_IsAFailureInThePlatformShape()
    {
        var response = CallResponse.NoAnswer("no answer within the client deadline of 40 s", "TimeoutError", 40.2);

        response.Status.Should().Be(0);
        response.Succeeded.Should().BeFalse();
        response.ErrorMessage.Should().Be("no answer within the client deadline of 40 s");
        response.Body!["error"]!["error_type"]!.GetValue<string>().Should().Be("TimeoutError");
    }

    [Theory]
    [InlineData("""{"error":"a result key named error","n":1}""", """{"result":{"error":"a result key named error","n":1}}""")]
    [InlineData("[1,2]", """{"result":[1,2]}""")]
    [InlineData("\"hello\"", """{"result":"hello"}""")]
    public void BareResult_AnyJsonAnswer_IsTheResult_EvenWithAnErrorKey(string body, string expected)
    {
        var response = CallResponse.BareResult(200, Encoding.UTF8.GetBytes(body), 0.01);

        response.Succeeded.Should().BeTrue();
        response.Body!.ToJsonString().Should().Be(expected);
        response.PlatformSeconds.Should().BeNull("Racetrack reports no duration of its own");
    }

    [Theory]
    [InlineData(400, """{"error":"failed to call a function: bad input","type":"ValueError"}""", "HTTP 400: failed to call a function: bad input", "ValueError")]
    [InlineData(429, """{"error":"Too many requests","type":"TooManyRequests"}""", "HTTP 429: Too many requests", "TooManyRequests")]
    [InlineData(502, "Reverse proxy error", "HTTP 502, not JSON: Reverse proxy error", null)]
    [InlineData(200, "", "HTTP 200: (no body)", null)]
    public void BareResult_Errors_ReadInThePlatformShape(int status, string body, string message, string? type)
    {
        var response = CallResponse.BareResult(status, Encoding.UTF8.GetBytes(body), 0.01);

        response.Succeeded.Should().BeFalse();
        response.ErrorMessage.Should().Be(message);
        response.Body?["error"]?["error_type"]?.ToString().Should().Be(type);
    }

    private static CallResponse Response(int status, string body) => new(status, Encoding.UTF8.GetBytes(body), 0.01);
}
