using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TestBench.Harness.Resilience;

namespace TestBench.Harness.Racetrack;

/// <summary>
/// A Racetrack cluster as the harness uses it: deploy a job from a build context, wait (bounded) for the deployment
/// and then until the job really answers (a job can 404 at Pub for a moment after its deployment says done), call
/// <c>/perform</c>, read <c>/parameters</c>, delete. Failures name the route and carry Racetrack's own words.
/// </summary>
public sealed class RacetrackClient : IDisposable
{
    /// <summary>The header that carries the token, for Lifecycle and Pub alike.</summary>
    public const string AuthHeader = "X-Racetrack-Auth";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient http;
    private readonly Uri pub;

    public RacetrackClient(RacetrackConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        http = new HttpClient { BaseAddress = connection.LifecycleAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add(AuthHeader, connection.AuthToken);
        pub = connection.PubAddress;
    }

    public RacetrackConnection Connection { get; }

    /// <summary>Starts a deployment; returns its id. <paramref name="secretRuntimeEnvironment"/> goes as
    /// <c>secret_vars.runtime_env</c>, where Lifecycle reads it (lifecycle/deployer/deploy.py; the CLI sends
    /// <c>SecretVars</c> of racetrack_client/client/env.py): the job's processes get it, its manifest does not show it.</summary>
    public async Task<string> DeployAsync(JsonObject manifest, byte[] buildContext, bool force, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? secretRuntimeEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var body = new JsonObject { ["manifest"] = manifest.DeepClone(), ["build_context"] = Convert.ToBase64String(buildContext), ["force"] = force };
        if (secretRuntimeEnvironment is { Count: > 0 })
        {
            body["secret_vars"] = new JsonObject
            {
                ["build_env"] = new JsonObject(),
                ["runtime_env"] = new JsonObject(secretRuntimeEnvironment.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            };
        }

        var answer = await SendAsync(HttpMethod.Post, "api/v1/deploy", body, cancellationToken).ConfigureAwait(false);
        return answer?["id"]?.GetValue<string>() ?? throw new InvalidDataException("POST api/v1/deploy answered no deployment id");
    }

    /// <summary>Waits for the deployment to finish; returns the job's Pub address.</summary>
    /// <exception cref="InvalidOperationException">It failed (with Racetrack's reason) or took longer than <paramref name="limit"/>.</exception>
    public async Task<Uri> WaitForDeploymentAsync(string id, TimeSpan limit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await new Poll($"Racetrack deployment {id}", PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                var deployment = await SendAsync(HttpMethod.Get, $"api/v1/deploy/{id}", null, token).ConfigureAwait(false);
                return deployment?["status"]?.GetValue<string>() switch
                {
                    "done" => PollResult.Done(deployment["job"]?["pub_url"]?.GetValue<string>() ?? "", "done"),
                    "failed" => throw new InvalidOperationException($"Racetrack deployment {id} failed: {deployment["error"]}"),
                    var status => PollResult.Pending<string>($"{status} ({deployment?["phase"]})"),
                };
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        return outcome.IsDone && Uri.TryCreate(outcome.Value, UriKind.Absolute, out var address)
            ? address
            : throw new InvalidOperationException($"Racetrack deployment {id} did not finish within {limit.TotalMinutes:0.#} minutes (last status: {outcome.Status})");
    }

    /// <summary>Waits until the job's <c>/ready</c> answers 200 through Pub: a deployment can be done a moment before Pub routes to it.</summary>
    public async Task WaitUntilReadyAsync(string name, string version, TimeSpan limit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await new Poll($"Racetrack job {name} {version} to be ready", PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                using var response = await http.GetAsync(new Uri(pub, $"job/{name}/{version}/ready"), token).ConfigureAwait(false);
                return response.IsSuccessStatusCode ? PollResult.Done(true, "ready") : PollResult.Pending<bool>($"HTTP {(int)response.StatusCode}");
            },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (!outcome.IsDone)
        {
            throw new InvalidOperationException($"Racetrack job {name} {version} was not ready within {limit.TotalSeconds:0} s (last answer: {outcome.Status})");
        }
    }

    /// <summary>Calls <c>/perform</c> once with <paramref name="arguments"/> (perform's keyword arguments; <see langword="null"/>
    /// sends an empty body, which the job answers with its <c>docs_input_example</c>); the bare JSON answer.</summary>
    public async Task<PerformResponse> PerformAsync(string name, string version, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var route = new Uri(pub, $"job/{name}/{version}/api/v1/perform");
        using var response = arguments is null
            ? await http.PostAsync(route, new ByteArrayContent([]), cancellationToken).ConfigureAwait(false)
            : await http.PostAsJsonAsync(route, arguments, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new PerformResponse((int)response.StatusCode, body, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary><c>/parameters</c>: what perform takes.</summary>
    public async Task<JsonArray> ParametersAsync(string name, string version, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, new Uri(pub, $"job/{name}/{version}/api/v1/parameters").ToString(), null, cancellationToken).ConfigureAwait(false)) as JsonArray
        ?? throw new InvalidDataException($"GET …/job/{name}/{version}/api/v1/parameters did not answer a list");

    /// <summary>Pub's address as Lifecycle's <c>/api/v1/info</c> gives it (<c>external_pub_url</c>).</summary>
    public async Task<Uri> ExternalPubAddressAsync(CancellationToken cancellationToken)
    {
        var info = await SendAsync(HttpMethod.Get, "api/v1/info", null, cancellationToken).ConfigureAwait(false);
        return info?["external_pub_url"]?.GetValue<string>() is { } text && Uri.TryCreate(text, UriKind.Absolute, out var address)
            ? address
            : throw new InvalidDataException($"GET api/v1/info names no external_pub_url; set {Configuration.RacetrackVariables.PubUrl}");
    }

    /// <summary>Every job the token may see: name, version and status.</summary>
    public async Task<IReadOnlyList<(string Name, string Version, string Status)>> ListJobsAsync(CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, "api/v1/job", null, cancellationToken).ConfigureAwait(false)) is JsonArray jobs
            ? [.. jobs.OfType<JsonObject>().Select(job => (job["name"]?.ToString() ?? "", job["version"]?.ToString() ?? "", job["status"]?.ToString() ?? ""))]
            : throw new InvalidDataException("GET api/v1/job did not answer a list");

    /// <summary>
    /// Grants job family <paramref name="source"/> the <c>call_job</c> scope on family <paramref name="target"/>
    /// (lifecycle/endpoints/auth.py <c>POST /auth/allow/job_family/{source}/job/{target}/scope/call_job</c>), so that
    /// <paramref name="source"/>'s jobs can call <paramref name="target"/>'s with their own <c>AUTH_TOKEN</c>. Racetrack
    /// lets only a token with <c>call_admin_api</c> grant it.
    /// </summary>
    /// <exception cref="RacetrackApiException">Refused: 401 when this token may not grant scopes.</exception>
    public async Task AllowCallsAsync(string source, string target, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, $"api/v1/auth/allow/job_family/{Uri.EscapeDataString(source)}/job/{Uri.EscapeDataString(target)}/scope/call_job", null, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes one exact version.</summary>
    public async Task DeleteJobAsync(string name, string version, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"api/v1/job/{name}/{version}", null, cancellationToken).ConfigureAwait(false);

    public void Dispose() => http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string route, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, route);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RacetrackApiException($"{method} {route} answered HTTP {(int)response.StatusCode}: {ErrorOf(text)}", (int)response.StatusCode);
        }

        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{method} {route} answered something that is not JSON: {e.Message}", e);
        }
    }

    private static string ErrorOf(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject error && error["error"] is { } message ? message.ToString() : text;
        }
        catch (JsonException)
        {
            return text.Length > 300 ? text[..300] + "…" : text;
        }
    }
}

/// <summary>One <c>/perform</c> answer: status, the bare JSON body, and the wall seconds of the call.</summary>
public sealed record PerformResponse(int Status, string Body, double WallSeconds)
{
    public bool Succeeded => Status == 200;

    /// <summary>The result (the body's JSON), when the call succeeded.</summary>
    public JsonNode? Result => Succeeded ? JsonNode.Parse(Body) : null;
}
