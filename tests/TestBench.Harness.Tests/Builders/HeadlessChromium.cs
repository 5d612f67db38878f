using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol on 127.0.0.1: loads a page the way a person's
/// browser would and reports what it complained about (script exceptions, console and log errors, failed or
/// external requests), plus the value of an expression evaluated in the loaded page.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> replies = new();
    private readonly ConcurrentQueue<JsonNode> events = new();
    private readonly CancellationTokenSource stop = new();
    private Task reading = Task.CompletedTask;
    private int lastId;

    private HeadlessChromium(Process process, string profile) => (this.process, this.profile) = (process, profile);

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("testbench-chromium-").FullName;
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardError = true, RedirectStandardOutput = true };
        // Flags for a closed machine: no sandbox (root), no GPU, and none of the background connections to Google.
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var chromium = new HeadlessChromium(Process.Start(start)!, profile);
        try
        {
            chromium.process.OutputDataReceived += (_, _) => { };
            chromium.process.BeginOutputReadLine();
            using var timeout = new CancellationTokenSource(Patience);
            var address = await ReadDevToolsAddressAsync(chromium.process.StandardError, timeout.Token);
            await chromium.socket.ConnectAsync(address, timeout.Token);
            chromium.reading = chromium.ReadAsync();
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the file in a new tab, waits for its load event, then evaluates <paramref name="expression"/> there.</summary>
    public async Task<PageLoad> LoadAsync(string file, string expression)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
        var session = attached["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" })
        {
            await SendAsync($"{domain}.enable", new JsonObject(), session);
        }

        var url = new Uri(file).AbsoluteUri;
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session);
        if (navigation["errorText"] is { } failed)
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {failed}");
        }

        await WaitForEventAsync("Page.loadEventFired", session);
        var evaluated = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, session);
        if (evaluated["exceptionDetails"] is { } thrown)
        {
            throw new InvalidOperationException($"The expression failed in the page: {thrown.ToJsonString()}");
        }

        var ofSession = events.Where(e => e["sessionId"]?.GetValue<string>() == session).ToArray();
        return new PageLoad(
            [.. ofSession.Select(Complaint).OfType<string>()],
            [.. ofSession.Where(e => Method(e) == "Network.requestWillBeSent").Select(e => e["params"]!["request"]!["url"]!.GetValue<string>())],
            evaluated["result"]!["value"]);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(Patience);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            socket.Dispose();
            process.Dispose();
            stop.Dispose();
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<Uri> ReadDevToolsAddressAsync(StreamReader errors, CancellationToken cancellationToken)
    {
        var seen = new StringBuilder();
        while (await errors.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.AppendLine(line);
            if (DevToolsAddress().Match(line) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException($"Chromium exited before it listened for DevTools:\n{seen}");
    }

    /// <summary>What a person would count as the page going wrong, or <see langword="null"/>.</summary>
    private static string? Complaint(JsonNode e) => Method(e) switch
    {
        "Runtime.exceptionThrown" => "exception: " + e["params"]!["exceptionDetails"]!.ToJsonString(),
        "Runtime.consoleAPICalled" when e["params"]!["type"]!.GetValue<string>() is "error" or "assert" => "console: " + e["params"]!["args"]!.ToJsonString(),
        "Log.entryAdded" when e["params"]!["entry"]!["level"]!.GetValue<string>() == "error" => "log: " + e["params"]!["entry"]!["text"],
        "Network.loadingFailed" => "request failed: " + e["params"]!["errorText"],
        _ => null,
    };

    private static string? Method(JsonNode e) => e["method"]?.GetValue<string>();

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        var id = Interlocked.Increment(ref lastId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        replies[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, stop.Token);
        var answer = await reply.Task.WaitAsync(Patience);
        return answer["error"] is { } error
            ? throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}")
            : answer["result"]!;
    }

    private async Task WaitForEventAsync(string method, string session)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!events.Any(e => Method(e) == method && e["sessionId"]?.GetValue<string>() == session))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var node = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            if (node["id"] is { } id && replies.TryRemove(id.GetValue<int>(), out var reply))
            {
                reply.SetResult(node);
            }
            else
            {
                events.Enqueue(node);
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)")]
    private static partial Regex DevToolsAddress();
}

/// <summary>What loading a page showed: complaints (empty for a clean load), every requested URL, and the evaluated value.</summary>
public sealed record PageLoad(IReadOnlyList<string> Complaints, IReadOnlyList<string> Requests, JsonNode? Value);
