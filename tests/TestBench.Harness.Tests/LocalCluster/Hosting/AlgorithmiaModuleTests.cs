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
        await Alice.SendJsonAsync(HttpMethod.Post, "v1/algorithms/alice/Inner/versions", System.Text.Json.Nodes.JsonNode.Parse("""{"settings":{"algorithm_callability":"private"},"version_info":{"version_type":"minor"},"details":{"label":"Inner"}}"""));
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
                except Algorithmia.errors.DataApiError as error:
                    missing = error.message
                return {
                    "note": client.file("data://.algo/temp/note.txt").getString(),
                    "json": client.file("data://.algo/temp/data.json").getJson(),
                    "bytes": list(folder.file("b.bin").getBytes()),
                    "listed": sorted("data://" + f.path for f in folder.files()),
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

    [Fact]
    public async Task Module_ShapedLikeThePlatformsClient_EveryMethodWorksFromInsideAnAlgorithm()
    {
        await Alice.CreateAlgorithmAsync("Echo");
        var echo = await Alice.PushAsync("Echo", "def apply(input):\n    print('echoing')\n    return input\n");
        await Alice.WaitForBuildAsync("Echo", echo);
        await Alice.CreateAlgorithmAsync("Surface");
        var surface = await Alice.PushAsync("Surface", $$"""
            import os, tempfile
            import Algorithmia
            from Algorithmia.errors import AlgorithmException, ApiError, DataApiError

            client = Algorithmia.client()


            def apply(input):
                out = {}
                answer = Algorithmia.algo("alice/Echo/{{echo}}").pipe({"n": input})
                out["module_algo"] = [answer.result, answer.metadata.content_type, isinstance(answer.metadata.duration, float)]
                text = client.algo("algo://alice/Echo/{{echo}}").set_options(timeout=20, stdout=True).pipe("t")
                out["text"] = [text.result, text.metadata.content_type, text.metadata.stdout]
                binary = client.algo("/alice/Echo/{{echo}}").pipe(b"\x00\x01")
                out["binary"] = [list(binary.result), binary.metadata.content_type]
                out["raw"] = client.algo("alice/Echo/{{echo}}").set_options(output="raw").pipe("r")
                folder = Algorithmia.dir("data://.my/surface")
                out["dir_before"] = folder.exists()
                folder.create()
                out["dir"] = [folder.exists(), folder.getName(), folder.path]
                note = folder.file("note.txt").put("hello")
                folder.file("data.json").putJson({"k": [1, 2]})
                folder.file("b.bin").put(bytes([7, 8]))
                local = tempfile.NamedTemporaryFile(delete=False)
                local.write(b"from disk")
                local.close()
                client.file("data://.my/surface/disk.txt").putFile(local.name)
                folder.dir("inner").create()
                out["file"] = [note.exists(), note.getName(), note.path, note.getString(), folder.file("data.json").getJson(),
                               list(folder.file("b.bin").getBytes()), client.file("data://.my/surface/disk.txt").getFile().read().decode()]
                out["listing"] = [sorted(f.getName() for f in folder.files()), [d.getName() for d in folder.dirs()],
                                  sorted(type(e).__name__ + ":" + e.getName() for e in folder.list())]
                out["deleted"] = [note.delete(), note.exists()]
                try:
                    Algorithmia.file("data://.my/surface/missing").getBytes()
                except DataApiError as error:
                    out["missing"] = [isinstance(error, ApiError), error.status]
                try:
                    client.algo("alice/NoSuchAlgorithm/latestPrivate").pipe(1)
                except AlgorithmException as error:
                    out["unknown_algorithm"] = [isinstance(error, ApiError), error.status]
                out["force_deleted"] = folder.delete(force=True)
                out["dir_after"] = folder.exists()
                out["user"] = client.username()
                return out
            """);
        (await Alice.WaitForBuildAsync("Surface", surface))["status"]!.GetValue<string>().Should().Be("succeeded");

        var (status, body) = await Alice.CallAsync($"alice/Surface/{surface}", "5");

        status.Should().Be(200, body.ToJsonString());
        var result = body["result"]!;
        result["module_algo"]!.ToJsonString().Should().Be("""[{"n":5},"json",true]""");
        result["text"]!.ToJsonString().Should().Be("""["t","text","echoing\n"]""");
        result["binary"]!.ToJsonString().Should().Be("""[[0,1],"binary"]""");
        result["raw"]!.GetValue<string>().Should().Be("r");
        result["dir_before"]!.GetValue<bool>().Should().BeFalse();
        result["dir"]!.ToJsonString().Should().Be("""[true,"surface",".my/surface"]""");
        result["file"]!.ToJsonString().Should().Be("""[true,"note.txt",".my/surface/note.txt","hello",{"k":[1,2]},[7,8],"from disk"]""");
        result["listing"]!.ToJsonString().Should().Be("""[["b.bin","data.json","disk.txt","note.txt"],["inner"],["DataDirectory:inner","DataFile:b.bin","DataFile:data.json","DataFile:disk.txt","DataFile:note.txt"]]""");
        result["deleted"]!.ToJsonString().Should().Be("[true,false]");
        result["missing"]!.ToJsonString().Should().Be("[true,404]");
        result["unknown_algorithm"]!.ToJsonString().Should().Be("[true,404]");
        result["force_deleted"]!.GetValue<bool>().Should().BeTrue();
        result["dir_after"]!.GetValue<bool>().Should().BeFalse();
        result["user"]!.GetValue<string>().Should().Be("alice");
    }

    [Fact]
    public async Task Module_AdkEntry_ServesTheNamedFunctionWithWhatLoadReturned()
    {
        await Alice.CreateAlgorithmAsync("Kit");
        var kit = await Alice.PushAsync("Kit", """
            from Algorithmia import ADK


            def load():
                return {"greeting": "hi"}


            def greet(input, model):
                return "%s %s" % (model["greeting"], input)


            algorithm = ADK(greet, load)
            algorithm.init("local run")
            """);
        (await Alice.WaitForBuildAsync("Kit", kit))["status"]!.GetValue<string>().Should().Be("succeeded");

        var (_, body) = await Alice.CallAsync($"alice/Kit/{kit}", "\"Ann\"");

        body["result"]!.GetValue<string>().Should().Be("hi Ann");
    }

    [Fact]
    public async Task Build_OfficialClientPinAndATestThatCannotImport_SucceedsWithAWarning()
    {
        await Alice.CreateAlgorithmAsync("Pinned");

        var sha = await Alice.PushAsync("Pinned", "import Algorithmia\n\ndef apply(input):\n    return 'hello {}'.format(input)\n", new Dictionary<string, string>
        {
            ["requirements.txt"] = "algorithmia>=1.0.0,<2.0\nsix",
            // The original tool's hello_world_test.py: it imports a module that does not exist.
            ["src/Pinned_test.py"] = "from . import hello\n\ndef test_hello():\n    assert hello.apply('Jane') == 'hello Jane'\n",
        });
        var build = await Alice.WaitForBuildAsync("Pinned", sha);
        var log = (await Alice.SendJsonAsync(HttpMethod.Get, $"v1/algorithms/alice/Pinned/builds/{build["build_id"]}/logs"))["logs"]!.GetValue<string>();

        build["status"]!.GetValue<string>().Should().Be("succeeded", log);
        log.Should().MatchRegex(@"Requirement already satisfied: algorithmia<2\.0,>=1\.0\.0 in .*\(1\.99\.0\+testbench\)")
            .And.Contain("== warning: src/Pinned_test.py failed; the build goes on");
        (await Alice.CallAsync($"alice/Pinned/{sha}", "\"Jane\"")).Body["result"]!.GetValue<string>().Should().Be("hello Jane");
    }
}
