using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Hosting;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Faults;

/// <summary>The one exception handler: a failing handler still answers in the platform's shape, and the log has the error id.</summary>
public sealed class ErrorHandlingTests
{
    private readonly ListLoggerProvider log = new();

    [Fact]
    public async Task Invoke_HandlerThrows_Answers500WithAnIdTheLogAlsoHas()
    {
        var context = Context("POST", "/v1/algorithms/alice");
        var sut = new ErrorHandling(_ => throw new InvalidOperationException("a bug"), Logger());

        await sut.InvokeAsync(context);

        context.Response.StatusCode.Should().Be(StatusCodes.Status500InternalServerError);
        var error = Body(context)["error"]!;
        var id = error["id"]!.GetValue<string>();
        error["message"]!.GetValue<string>().Should().Be($"POST /v1/algorithms/alice: internal error {id}; the cluster's log has the details");
        log.Logger.Lines.Should().ContainSingle().Which.Should().Be($"Error {id} answering POST /v1/algorithms/alice");
    }

    [Fact]
    public async Task Invoke_BodyTooLarge_KeepsKestrelsStatus()
    {
        var context = Context("POST", "/v1/algo/alice/Big");
        var sut = new ErrorHandling(_ => throw new BadHttpRequestException("Request body too large. The max request body size is 10551296 bytes.", StatusCodes.Status413PayloadTooLarge), Logger());

        await sut.InvokeAsync(context);

        context.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        Body(context)["error"]!["message"]!.GetValue<string>().Should().Be("POST /v1/algo/alice/Big: Request body too large. The max request body size is 10551296 bytes.");
    }

    private ILogger<ErrorHandling> Logger() => new LoggerFactory([log]).CreateLogger<ErrorHandling>();

    private static DefaultHttpContext Context(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static JsonNode Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!;
    }
}
