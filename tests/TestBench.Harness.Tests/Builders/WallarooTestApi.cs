using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace TestBench.Harness.Tests.Builders;

/// <summary>The orchestration routes a Wallaroo test drives (upload, wait until ready, run, wait for runs), over any server's client.</summary>
public class WallarooTestApi
{
    public WallarooTestApi(HttpClient? http = null) => Http = http!;


    /// <summary>A client with the server's address and its bearer token.</summary>
    public HttpClient Http { get; protected set; }

    public async Task<HttpResponseMessage> UploadAsync(byte[] zip, string? name = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(zip) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", "orchestration.zip");
        form.Add(new StringContent(new JsonObject { ["workspace_id"] = 1, ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"), "metadata");
        return await Http.PostAsync("v1/api/orchestration/upload", form);
    }

    /// <summary>Uploads and waits (bounded) until the orchestration is ready; its id.</summary>
    public async Task<string> UploadReadyAsync(byte[] zip, string name)
    {
        using var response = await UploadAsync(zip, name);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var seen = new List<string>();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = (await PostAsync("orchestration/get_by_id", new JsonObject { ["id"] = id }))["status"]!.ToString();
            if (seen.Count == 0 || seen[^1] != status)
            {
                seen.Add(status);
            }

            if (status == "ready")
            {
                seen.Should().BeSubsetOf(["pending_packaging", "packaging", "ready"]);
                return id;
            }

            status.Should().NotBe("packaging_failed");
            await Task.Delay(100);
        }

        throw new TimeoutException($"orchestration {id} was not ready within a minute ({string.Join(" → ", seen)})");
    }

    public async Task<JsonObject> PostAsync(string route, JsonObject body)
    {
        using var response = await Http.PostAsJsonAsync($"v1/api/{route}", body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"{route} answered {(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text) as JsonObject) ?? new JsonObject { ["items"] = JsonNode.Parse(text) };
    }

    public async Task<IReadOnlyList<JsonObject>> ListRunsAsync(string taskId) =>
        [.. (await PostAsync("task/list_task_runs", new JsonObject { ["task_id"] = taskId }))["items"]!.AsArray().OfType<JsonObject>()];

    /// <summary>Waits (up to a minute) for the task's newest run to end with <paramref name="status"/>.</summary>
    public async Task<JsonObject> WaitForRunAsync(string taskId, string status)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var runs = await ListRunsAsync(taskId);
            if (runs.Count > 0 && runs[0]["status"]!.ToString() is var current && current != "running")
            {
                current.Should().Be(status);
                return runs[0];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"task {taskId} had no finished run within a minute");
    }

    /// <summary>Waits (up to a minute) until the task has at least <paramref name="count"/> finished runs.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForRunsAsync(string taskId, int count)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var runs = await ListRunsAsync(taskId);
            if (runs.Count(r => r["status"]!.ToString() != "running") >= count)
            {
                return runs;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"task {taskId} had fewer than {count} finished runs within a minute");
    }
}
