using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>The LangPack's <c>Algorithmia</c> module, used from inside real algorithms against a live cluster.</summary>
public sealed class AlgorithmiaModuleTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClusterClient Alice => fixture.Alice;

    [Fact]
    public async Task Module_DataRoundTripAndNestedCall_WorkFromInsideAnAlgorithm()
    {
        await Alice.CreateAlgorithmAsync("Inner");
        var inner = await Alice.PushAsync("Inner", "def apply(input):\n    return {'inner': input}\n");
        await Alice.WaitForBuildAsync("Inner", inner);
        await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Inner/versions", System.Text.Json.Nodes.JsonNode.Parse("""{"version_info":{"version_type":"minor"}}"""));
        await Alice.CreateAlgorithmAsync("Outer");
        var outer = await Alice.PushAsync("Outer", """
            import Algorithmia

            client = Algorithmia.client()


            def apply(input):
                client.file("data://.algo/temp/note.txt").put("note " + input)
                client.file("data://.algo/temp/data.json").putJson({"n": 3})
                folder = client.dir("data://.my/outer_made")
                if not folder.exists():
                    folder.create()
                folder.file("b.bin").put(bytes([1, 2, 3]))
                nested = client.algo("algo://.my/Inner/latestPrivate").set_options(timeout=30).pipe(input)
                try:
                    client.file("data://.my/outer_made/missing").getString()
                    missing = "no error"
                except Algorithmia.AlgorithmException as error:
                    missing = error.message
                return {
                    "note": client.file("data://.algo/temp/note.txt").getString(),
                    "json": client.file("data://.algo/temp/data.json").getJson(),
                    "bytes": list(folder.file("b.bin").getBytes()),
                    "listed": sorted(f.uri for f in folder.files()),
                    "exists": [folder.file("b.bin").exists(), folder.file("nope").exists()],
                    "nested": nested.result,
                    "user": client.username(),
                    "missing": missing,
                }
            """);
        var build = await Alice.WaitForBuildAsync("Outer", outer);
        build["status"]!.GetValue<string>().Should().Be("succeeded");

        var (status, body) = await Alice.CallAsync($"alice/Outer/{outer}", "\"x\"");

        status.Should().Be(200, body.ToJsonString());
        var result = body["result"]!;
        result["note"]!.GetValue<string>().Should().Be("note x");
        result["json"]!["n"]!.GetValue<int>().Should().Be(3);
        result["bytes"]!.AsArray().Select(b => b!.GetValue<int>()).Should().Equal(1, 2, 3);
        result["listed"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("data://.my/outer_made/b.bin");
        result["exists"]!.AsArray().Select(e => e!.GetValue<bool>()).Should().Equal(true, false);
        result["nested"]!["inner"]!.GetValue<string>().Should().Be("x");
        result["user"]!.GetValue<string>().Should().Be("alice");
        result["missing"]!.GetValue<string>().Should().Contain("not found");
        File.ReadAllText(Path.Combine(fixture.DataDirectory, "data", ".algo", "alice", "Outer", "temp", "note.txt")).Should().Be("note x");
    }

    [Fact]
    public async Task Module_NestedAlgorithmFails_RaisesAlgorithmExceptionWithItsType()
    {
        await Alice.CreateAlgorithmAsync("Failing");
        var failing = await Alice.PushAsync("Failing", "class E(Exception):\n    error_type = 'InputError'\n\ndef apply(input):\n    raise E('bad ' + str(input))\n");
        await Alice.WaitForBuildAsync("Failing", failing);
        await Alice.CreateAlgorithmAsync("Caller");
        var caller = await Alice.PushAsync("Caller", $$"""
            import Algorithmia


            def apply(input):
                try:
                    Algorithmia.client().algo("alice/Failing/{{failing}}").pipe(input)
                except Algorithmia.AlgorithmException as error:
                    return {"message": error.message, "type": error.error_type, "trace": bool(error.stacktrace)}
            """);
        await Alice.WaitForBuildAsync("Caller", caller);

        var (_, body) = await Alice.CallAsync($"alice/Caller/{caller}", "7");

        body["result"]!["message"]!.GetValue<string>().Should().Be("bad 7");
        body["result"]!["type"]!.GetValue<string>().Should().Be("InputError");
        body["result"]!["trace"]!.GetValue<bool>().Should().BeTrue();
    }
}
