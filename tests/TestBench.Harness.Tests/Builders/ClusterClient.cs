using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Test helpers that talk to a <see cref="EmbeddedCluster"/> as a user: plain HTTP and the git CLI.</summary>
public sealed class ClusterClient : IDisposable
{
    private readonly EmbeddedCluster cluster;
    private readonly string key;

    public ClusterClient(EmbeddedCluster cluster, string user)
        : this(cluster, user, cluster.UserKeys[user])
    {
    }

    /// <summary>A client with a key the cluster cannot show (one kept from an earlier start).</summary>
    public ClusterClient(EmbeddedCluster cluster, string user, string key)
    {
        this.cluster = cluster;
        this.key = key;
        User = user;
        Http = new HttpClient { BaseAddress = cluster.Address };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Simple", key);
    }

    public string User { get; }

    public HttpClient Http { get; }

    public async Task<JsonNode> CreateAlgorithmAsync(string name, string? environment = null)
    {
        // The fields api-docs requires ("Create an algorithm"); the environment by id, else Python 3 on CPU.
        var settings = new JsonObject { ["license"] = "apl", ["network_access"] = "full", ["pipeline_enabled"] = true, ["source_visibility"] = "closed" };
        if (environment is null)
        {
            (settings["language"], settings["environment"]) = ("python3-1", "cpu");
        }
        else
        {
            settings["algorithm_environment"] = environment;
        }

        var body = new JsonObject { ["name"] = name, ["details"] = new JsonObject { ["label"] = name }, ["settings"] = settings };
        return await SendJsonAsync(HttpMethod.Post, $"v1/algorithms/{User}", body);
    }

    /// <summary>Clones the algorithm's repository, replaces <c>src/&lt;name&gt;.py</c> (and more files), commits and pushes.</summary>
    /// <returns>The pushed commit.</returns>
    public async Task<string> PushAsync(string name, string source, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        var work = Directory.CreateTempSubdirectory("testbench-clone-").FullName;
        try
        {
            await GitAsync(work, "clone", "--quiet", new UriBuilder(new Uri(cluster.Address, $"git/{User}/{name}.git")) { UserName = User, Password = key }.Uri.ToString(), "repo");
            var repo = Path.Combine(work, "repo");
            await File.WriteAllTextAsync(Path.Combine(repo, "src", name + ".py"), source);
            foreach (var (path, text) in extraFiles ?? new Dictionary<string, string>())
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repo, path))!);
                await File.WriteAllTextAsync(Path.Combine(repo, path), text);
            }

            await GitAsync(repo, "add", ".");
            await GitAsync(repo, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "change");
            await GitAsync(repo, "push", "--quiet");
            return (await GitAsync(repo, "rev-parse", "HEAD")).Trim();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Waits (bounded) until the build of <paramref name="sha"/> has finished and returns its build object.</summary>
    public async Task<JsonNode> WaitForBuildAsync(string name, string sha)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var builds = await SendJsonAsync(HttpMethod.Get, $"v1/algorithms/{User}/{name}/builds");
            var build = builds["results"]!.AsArray().FirstOrDefault(b => b!["commit_sha"]!.GetValue<string>() == sha);
            if (build is not null && build["status"]!.GetValue<string>() != "in-progress")
            {
                return build;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The build of {name} at {sha} did not finish within 60 s.");
    }

    public async Task<(int Status, JsonNode Body)> CallAsync(string path, string json, string query = "")
    {
        using var response = await Http.PostAsync($"v1/algo/{path}{query}", new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<JsonNode> SendJsonAsync(HttpMethod method, string route, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, route);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {route} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public void Dispose() => Http.Dispose();

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {arguments[0]} failed: {await errors}");
        }

        return await output;
    }
}
