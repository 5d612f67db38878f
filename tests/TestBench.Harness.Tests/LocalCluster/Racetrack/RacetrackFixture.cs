using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

/// <summary>A real embedded Racetrack on 127.0.0.1 in a temporary folder, with helpers to deploy job folders to it.</summary>
public sealed class RacetrackFixture : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-racetrack-").FullName;

    public RacetrackHost Host { get; private set; } = null!;

    /// <summary>The server's data: deployed jobs under <c>jobs/{name}/{version}/job</c>.</summary>
    public string DataDirectory => Path.Combine(root, "data");

    /// <summary>A client that sends the token.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await RacetrackHost.StartAsync(new RacetrackOptions { DataDirectory = DataDirectory, Python = AlgorithmWorkspace.Python }, CancellationToken.None);
        Http = new HttpClient { BaseAddress = Host.Address };
        Http.DefaultRequestHeaders.Add(RacetrackAuth.Header, Host.AuthToken);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>The manifest of a python3 job whose entrypoint is <c>entry.py</c>.</summary>
    public static JsonObject Manifest(string name, string version, JsonObject? extra = null)
    {
        var jobtypeExtra = new JsonObject { ["entrypoint_path"] = "entry.py" };
        foreach (var (key, value) in extra ?? [])
        {
            jobtypeExtra[key] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["name"] = name,
            ["owner_email"] = "bench@example.test",
            ["jobtype"] = "python3:latest",
            ["git"] = new JsonObject { ["remote"] = "https://example.test/jobs.git" },
            ["version"] = version,
            ["jobtype_extra"] = jobtypeExtra,
        };
    }

    /// <summary>Posts a deploy of <paramref name="files"/> (path → content) and returns the response.</summary>
    public Task<HttpResponseMessage> PostDeployAsync(JsonObject manifest, IReadOnlyDictionary<string, string> files, bool force = false, JsonObject? secretVars = null)
    {
        var body = new JsonObject { ["manifest"] = manifest, ["build_context"] = Convert.ToBase64String(TarGz(files)), ["force"] = force };
        if (secretVars is not null)
        {
            body["secret_vars"] = secretVars;
        }

        return Http.PostAsJsonAsync("api/v1/deploy", body);
    }

    /// <summary>Deploys and waits (bounded) until the deployment is no longer in progress; returns its final state.</summary>
    public async Task<JsonNode> DeployAsync(JsonObject manifest, IReadOnlyDictionary<string, string> files, bool force = false, JsonObject? secretVars = null)
    {
        using var response = await PostDeployAsync(manifest, files, force, secretVars);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        return await WaitForDeploymentAsync(id);
    }

    /// <summary>Polls the deployment for up to two minutes (builds queue one at a time on a busy machine).</summary>
    public async Task<JsonNode> WaitForDeploymentAsync(string id)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var deployment = (await Http.GetFromJsonAsync<JsonNode>($"api/v1/deploy/{id}"))!;
            if (deployment["status"]!.GetValue<string>() != "in_progress")
            {
                return deployment;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"deployment {id} was still in progress after two minutes");
    }

    internal static byte[] TarGz(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) });
            }
        }

        return buffer.ToArray();
    }
}
