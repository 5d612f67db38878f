using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>An algorithm's whole life on a real cluster: real HTTP, real git, real Python.</summary>
public sealed class AlgorithmLifecycleTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClusterClient Alice => fixture.Alice;

    [Fact]
    public async Task Lifecycle_CreatePushBuildCallPublishUpdateDelete_Works()
    {
        var created = await Alice.CreateAlgorithmAsync("Greeter");
        // api-docs, "Create an algorithm": the reply of an algorithm with the internal SCM names no repository and,
        // having no build yet, no self_link; a client must find git from the API address.
        created.AsObject().Select(p => p.Key).Should().BeEquivalentTo("id", "name", "details", "settings", "source", "resource_type");
        created["source"]!.AsObject().Select(p => p.Key).Should().Equal("scm");
        created["source"]!["scm"]!.ToJsonString().Should().Be("""{"id":"internal","provider":"internal","default":true,"enabled":true}""");

        var sha = await Alice.PushAsync("Greeter", "def apply(input):\n    return 'hi ' + input\n");
        var build = await Alice.WaitForBuildAsync("Greeter", sha);
        build["status"]!.GetValue<string>().Should().Be("succeeded");

        var (status, bySha) = await Alice.CallAsync($"alice/Greeter/{sha}", "\"sha\"");
        status.Should().Be(200);
        bySha["result"]!.GetValue<string>().Should().Be("hi sha");
        bySha["metadata"]!["content_type"]!.GetValue<string>().Should().Be("text");

        var published = await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Greeter/versions",
            JsonNode.Parse("""{"settings":{"algorithm_callability":"private"},"version_info":{"version_type":"minor","release_notes":"first"},"details":{"label":"Greeter"}}"""));
        published["version_info"]!["semantic_version"]!.GetValue<string>().Should().Be("0.1.0");
        published["version_info"]!["git_hash"]!.GetValue<string>().Should().Be(sha);

        var again = () => Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Greeter/versions", JsonNode.Parse("""{"settings":{"algorithm_callability":"private"},"version_info":{"version_type":"minor"},"details":{"label":"Greeter"}}"""));
        (await again.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("Version already published").And.Contain("1007");

        (await Alice.CallAsync("alice/Greeter/latestPrivate", "\"latest\"")).Body["result"]!.GetValue<string>().Should().Be("hi latest");
        (await Alice.CallAsync("alice/Greeter/0.1.0", "\"exact\"")).Body["result"]!.GetValue<string>().Should().Be("hi exact");
        (await Alice.CallAsync("alice/Greeter", "\"public\"")).Status.Should().Be(404, "the only version is private");

        var updated = await Alice.SendJsonAsync(HttpMethod.Put, "v1/algorithms/alice/Greeter", JsonNode.Parse("""{"details":{"summary":"says hi"}}"""));
        updated["details"]!["summary"]!.GetValue<string>().Should().Be("says hi");

        using var deleted = await Alice.Http.DeleteAsync("v1/algorithms/alice/Greeter");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var gone = await Alice.Http.GetAsync("v1/algorithms/alice/Greeter");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await gone.Content.ReadAsStringAsync()).Should().Contain("\"code\":1001");
    }

    [Fact]
    public async Task Publish_AfterARecompile_IsAllowed_AndTheVersionsListHasEachBuildOnce()
    {
        // api-docs "Publish an algorithm": only the newest compiled build is published; once it is, compile again.
        const string body = """{"settings":{"algorithm_callability":"private"},"version_info":{"version_type":"patch"},"details":{"label":"Twice"}}""";
        await Alice.CreateAlgorithmAsync("Twice");
        var sha = await Alice.PushAsync("Twice", "def apply(input):\n    return input\n");
        await Alice.WaitForBuildAsync("Twice", sha);
        var first = await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Twice/versions", JsonNode.Parse(body));
        var compiled = await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Twice/compile", new JsonObject());
        var second = await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Twice/versions", JsonNode.Parse(body));
        var versions = (await Alice.SendJsonAsync(HttpMethod.Get, "v1/algorithms/alice/Twice/versions"))["results"]!.AsArray();
        var refused = () => Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Twice/versions", JsonNode.Parse("""{"version_info":{"version_type":"patch"}}"""));

        first["version_info"]!["semantic_version"]!.GetValue<string>().Should().Be("0.0.1");
        compiled["build"]!["commit_sha"]!.GetValue<string>().Should().Be(sha);
        second["version_info"]!["semantic_version"]!.GetValue<string>().Should().Be("0.0.2", "the recompiled build is a new version of the same commit");
        versions.Select(v => v!["version_info"]!["semantic_version"]?.GetValue<string>()).Should().Equal("0.0.2", "0.0.1");
        versions.Select(v => v!["build"]!["build_id"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
        (await refused.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should()
            .Contain("settings.algorithm_callability is required").And.Contain("details.label is required");
    }

    [Fact]
    public async Task Call_UnbuiltSha_SaysVersionHashIsNotBuilt()
    {
        await Alice.CreateAlgorithmAsync("Unbuilt");

        var (status, body) = await Alice.CallAsync($"alice/Unbuilt/{new string('a', 40)}", "1");

        status.Should().Be(404);
        body["error"]!["message"]!.GetValue<string>().Should().Contain("version hash");
    }

    [Fact]
    public async Task Push_FailingBuildStep_BuildFailsWithItsLog()
    {
        await Alice.CreateAlgorithmAsync("Broken");

        var sha = await Alice.PushAsync("Broken", "def apply(input):\n    return input\n", new Dictionary<string, string>
        {
            ["requirements.txt"] = "the smoke test says no ==\n",
        });
        var build = await Alice.WaitForBuildAsync("Broken", sha);
        var logs = await Alice.SendJsonAsync(HttpMethod.Get, $"v1/algorithms/alice/Broken/builds/{build["build_id"]}/logs");
        var algorithm = await Alice.SendJsonAsync(HttpMethod.Get, "v1/algorithms/alice/Broken");

        build["status"]!.GetValue<string>().Should().Be("failed");
        logs["logs"]!.GetValue<string>().Should().Contain("the smoke test says no").And.Contain("== build failed");
        algorithm["compilation"]!["successful"]!.GetValue<bool>().Should().BeFalse();
        algorithm["compilation"]!["output"]!.GetValue<string>().Should().Contain("the smoke test says no");
    }

    [Fact]
    public async Task Compile_HeadOfRepository_AnswersWithTheNewBuild()
    {
        await Alice.CreateAlgorithmAsync("Compiled");

        var compiled = await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Compiled/compile", new JsonObject());

        compiled["compilation"]!["successful"]!.GetValue<bool>().Should().BeTrue();
        var sha = compiled["version_info"]!["git_hash"]!.GetValue<string>();
        (await Alice.CallAsync($"alice/Compiled/{sha}", "\"x\"")).Body["result"]!.GetValue<string>().Should().Be("hello x");
    }

    [Fact]
    public async Task Call_TwoAlgorithmsConcurrently_EachAnswersItsOwnCalls()
    {
        await Alice.CreateAlgorithmAsync("Left");
        await Alice.CreateAlgorithmAsync("Right");
        var left = await Alice.PushAsync("Left", "import time\ndef apply(input):\n    time.sleep(0.05)\n    return 'left %s' % input\n");
        var right = await Alice.PushAsync("Right", "import time\ndef apply(input):\n    time.sleep(0.05)\n    return 'right %s' % input\n");
        await Alice.WaitForBuildAsync("Left", left);
        await Alice.WaitForBuildAsync("Right", right);

        var calls = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? Alice.CallAsync($"alice/Left/{left}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : Alice.CallAsync($"alice/Right/{right}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var results = await Task.WhenAll(calls);

        results.Select(r => r.Body["result"]!.GetValue<string>()).Should().Equal(
            Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? "left " : "right ") + i));
    }

    [Fact]
    public async Task Call_RawAndStdoutOptions_ShapeTheAnswer()
    {
        await Alice.CreateAlgorithmAsync("Printer");
        var sha = await Alice.PushAsync("Printer", "def apply(input):\n    print('working on', input)\n    return {'doubled': input * 2}\n");
        await Alice.WaitForBuildAsync("Printer", sha);

        using var raw = await Alice.Http.PostAsync($"v1/algo/alice/Printer/{sha}?output=raw", new StringContent("21", System.Text.Encoding.UTF8, "application/json"));
        var (_, withStdout) = await Alice.CallAsync($"alice/Printer/{sha}", "4", "?stdout=True");
        var (_, withoutStdout) = await Alice.CallAsync($"alice/Printer/{sha}", "4");

        JsonNode.Parse(await raw.Content.ReadAsStringAsync())!["doubled"]!.GetValue<int>().Should().Be(42);
        withStdout["metadata"]!["stdout"]!.GetValue<string>().Should().Be("working on 4\n");
        withoutStdout["metadata"]!.AsObject().ContainsKey("stdout").Should().BeFalse();
        withoutStdout["request_id"]!.GetValue<string>().Should().StartWith("req-");
    }

    [Fact]
    public async Task Call_BodyOver10MiB_IsRefusedWithAClearError()
    {
        await Alice.CreateAlgorithmAsync("Big");
        var sha = (await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Big/compile", new JsonObject()))["version_info"]!["git_hash"]!.GetValue<string>();

        // Expect: 100-continue lets the server refuse before the body is sent, as a careful client does for big uploads.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/algo/alice/Big/{sha}")
        {
            Content = new ByteArrayContent(new byte[11 * 1024 * 1024]) { Headers = { ContentType = new("application/octet-stream") } },
        };
        request.Headers.ExpectContinue = true;
        using var response = await Alice.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("at most 10485760 bytes (10 MiB)");
    }
}
