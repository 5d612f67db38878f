using System.Net.Http.Json;
using System.Text;
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
    private readonly PlatformHttp lifecycle;
    private readonly PlatformHttp pubHttp;

    /// <param name="connection">Where Lifecycle and Pub are, and the token.</param>
    /// <param name="time">The clock of the retries' back-off and timeouts.</param>
    /// <param name="limits">How hard a request is tried; <see cref="RetryLimits.Default"/> when <see langword="null"/>.</param>
    public RacetrackClient(RacetrackConnection connection, TimeProvider? time = null, RetryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        http = PlatformHttp.CreateClient(connection.LifecycleAddress);
        http.DefaultRequestHeaders.Add(AuthHeader, connection.AuthToken);
        pub = connection.PubAddress;
        lifecycle = new PlatformHttp(http, new TargetEndpoint("racetrack target", connection.LifecycleAddress), time ?? TimeProvider.System, limits);
        pubHttp = new PlatformHttp(http, new TargetEndpoint("racetrack target's Pub", pub), time ?? TimeProvider.System, limits);
    }

    public RacetrackConnection Connection { get; }

    /// <summary>Lifecycle, as failure messages name it.</summary>
    public TargetEndpoint Endpoint => lifecycle.Endpoint;

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

        var answer = await SendAsync(lifecycle, HttpMethod.Post, "api/v1/deploy", body, Replay.OnlyIfNeverSent, cancellationToken).ConfigureAwait(false);
        return answer.Id("id");
    }

    /// <summary>Waits for the deployment to finish; returns the job's Pub address.</summary>
    /// <exception cref="InvalidOperationException">It failed (with Racetrack's reason) or took longer than <paramref name="limit"/>.</exception>
    public async Task<Uri> WaitForDeploymentAsync(string id, TimeSpan limit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await new Poll($"Racetrack deployment {id}", PollInterval, limit).UntilDoneAsync(
            async token =>
            {
                var deployment = await SendAsync(lifecycle, HttpMethod.Get, $"api/v1/deploy/{id}", null, Replay.Safe, token).ConfigureAwait(false);
                return deployment.Text("status") switch
                {
                    "done" => PollResult.Done(deployment.OptionalText("job.pub_url") ?? "", "done"),
                    "failed" => throw new InvalidOperationException($"Racetrack deployment {id} failed: {deployment.Root?["error"]}"),
                    var status => PollResult.Pending<string>($"{status} ({deployment.OptionalText("phase")})"),
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
                using var sent = await pubHttp.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(pub, $"job/{name}/{version}/ready")), Replay.Safe, token).ConfigureAwait(false);
                var response = sent.Response;
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
        using var sent = await pubHttp.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, route) { Content = arguments is null ? new ByteArrayContent([]) : JsonContent.Create(arguments) },
            Replay.OnlyIfNeverSent,
            cancellationToken).ConfigureAwait(false);
        var (body, length) = await ReplyContent.ReadHeadAsync(sent.Response, cancellationToken).ConfigureAwait(false);
        return new PerformResponse((int)sent.Response.StatusCode, length > body.Length ? ReplyContent.Describe(body, length) : body, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary><c>/parameters</c>: what perform takes.</summary>
    public async Task<JsonArray> ParametersAsync(string name, string version, CancellationToken cancellationToken) =>
        (await SendAsync(pubHttp, HttpMethod.Get, new Uri(pub, $"job/{name}/{version}/api/v1/parameters").ToString(), null, Replay.Safe, cancellationToken).ConfigureAwait(false)).Array();

    /// <summary>Pub's address as Lifecycle's <c>/api/v1/info</c> gives it (<c>external_pub_url</c>).</summary>
    public async Task<Uri> ExternalPubAddressAsync(CancellationToken cancellationToken)
    {
        var info = await SendAsync(lifecycle, HttpMethod.Get, "api/v1/info", null, Replay.Safe, cancellationToken).ConfigureAwait(false);
        return info.OptionalText("external_pub_url") is { } text && Uri.TryCreate(text, UriKind.Absolute, out var address)
            ? address
            : throw info.Refuse($"field 'external_pub_url' is missing or not an absolute address; set {Configuration.RacetrackVariables.PubUrl}");
    }

    /// <summary>Every job the token may see: name, version and status.</summary>
    public async Task<IReadOnlyList<(string Name, string Version, string Status)>> ListJobsAsync(CancellationToken cancellationToken) =>
        [.. (await SendAsync(lifecycle, HttpMethod.Get, "api/v1/job", null, Replay.Safe, cancellationToken).ConfigureAwait(false)).Items()
            .Select(job => (job.Text("name"), job.Text("version"), job.OptionalText("status") ?? ""))];

    /// <summary>
    /// Grants job family <paramref name="source"/> the <c>call_job</c> scope on family <paramref name="target"/>
    /// (lifecycle/endpoints/auth.py <c>POST /auth/allow/job_family/{source}/job/{target}/scope/call_job</c>), so that
    /// <paramref name="source"/>'s jobs can call <paramref name="target"/>'s with their own <c>AUTH_TOKEN</c>. Racetrack
    /// lets only a token with <c>call_admin_api</c> grant it.
    /// </summary>
    /// <exception cref="RacetrackApiException">Refused: 401 when this token may not grant scopes.</exception>
    public async Task AllowCallsAsync(string source, string target, CancellationToken cancellationToken) =>
        await SendAsync(lifecycle, HttpMethod.Post, $"api/v1/auth/allow/job_family/{Uri.EscapeDataString(source)}/job/{Uri.EscapeDataString(target)}/scope/call_job", null, Replay.Safe, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes one exact version.</summary>
    public async Task DeleteJobAsync(string name, string version, CancellationToken cancellationToken) =>
        await SendAsync(lifecycle, HttpMethod.Delete, $"api/v1/job/{name}/{version}", null, Replay.Safe, cancellationToken).ConfigureAwait(false);

    public void Dispose() => http.Dispose();

    /// <summary>Sends a request through <paramref name="server"/>'s pipeline; an error status becomes a
    /// <see cref="RacetrackApiException"/> with Racetrack's words (<c>{"error": "…"}</c>, lifecycle/server/api.py's error
    /// handler), a reply that is not JSON a <see cref="TargetFaultException"/>.</summary>
    private static Task<JsonReply> SendAsync(PlatformHttp server, HttpMethod method, string route, JsonNode? body, Replay replay, CancellationToken cancellationToken) =>
        server.SendForJsonAsync(
            () => new HttpRequestMessage(method, route) { Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") },
            replay,
            ["error"],
            (sentence, status) => new RacetrackApiException(sentence, status),
            cancellationToken);
}

/// <summary>One <c>/perform</c> answer: status, the bare JSON body, and the wall seconds of the call.</summary>
public sealed record PerformResponse(int Status, string Body, double WallSeconds)
{
    public bool Succeeded => Status == 200;

    /// <summary>The result (the body's JSON), when the call succeeded.</summary>
    public JsonNode? Result => Succeeded ? JsonNode.Parse(Body) : null;
}
