using System.Diagnostics;
using System.Globalization;
using System.Text;
using FluentAssertions;
using TestBench.Harness.Resilience;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Resilience;

/// <summary>
/// Every fault issue #34 lists, met by each platform's client on a read that is safe to repeat: a real server on
/// 127.0.0.1 (<see cref="FaultServer"/>) misbehaves, and the client must fail in bounded time with one sentence that
/// names the target, its address, the request, what happened and what was tried — never the key. With
/// <c>TESTBENCH_FAULT_TABLE</c> set to a file, each case appends a row (the fault's place in the catalogue, platform,
/// fault, seconds, requests the server read, message) that <c>bench/faults.sh</c> turns into the table in <c>docs/faults.md</c>.
/// </summary>
public abstract class PlatformFaultTests
{
    /// <summary>Small limits so the suite stays quick: 2 retries, 1 after a timeout, 2 s an attempt (enough for a 10 MiB
    /// body on a loaded CI machine, which took over 0.5 s).</summary>
    protected static readonly RetryLimits Limits = new() { Retries = 2, TimeoutRetries = 1, AttemptTimeout = TimeSpan.FromSeconds(2), FirstDelay = TimeSpan.FromMilliseconds(20) };

    /// <summary>The credential the client sends; no message may contain it.</summary>
    protected const string Secret = "faultkey0123456789abcdef0123";

    /// <summary>The platform, as the table names it.</summary>
    protected abstract string Platform { get; }

    /// <summary>What the client's messages call the server, e.g. <c>racetrack target</c>.</summary>
    protected abstract string Names { get; }

    /// <summary>The request the client makes, as its messages name it: <c>GET /api/v1/job</c>.</summary>
    protected abstract string Request { get; }

    /// <summary>A successful answer of the right shape whose field <see cref="MistypedField"/> has the wrong type.</summary>
    protected abstract string MistypedReply { get; }

    /// <summary>The field of <see cref="MistypedReply"/> the message must name.</summary>
    protected abstract string MistypedField { get; }

    /// <summary>The platform's own answer to an expired or revoked credential (401), in its error shape.</summary>
    protected abstract string ExpiredKeyReply { get; }

    /// <summary>Makes the client's request to <paramref name="address"/> with <see cref="Secret"/> and <see cref="Limits"/>.</summary>
    protected abstract Task CallAsync(Uri address);

    public static TheoryData<string> Faults() => [.. Catalogue.Keys];

    /// <summary>Each fault: how to set it up (a server, or an address where none can answer) and what the message must say.</summary>
    private static readonly Dictionary<string, (Func<PlatformFaultTests, FaultServer?> Server, Uri? Address, string[] Says, int? Requests)> Catalogue = new()
    {
        ["connection refused"] = (_ => null, FaultServer.ClosedPort(), ["gave no answer", "the connection was refused", "tried 3 times"], 0),
        ["connection reset"] = (_ => FaultServer.Start(new ServerFault.Reset()), null, ["gave no answer", "reset by the server", "tried 3 times"], 3),
        ["DNS name that does not resolve"] = (_ => null, new Uri("http://testbench-fault.invalid/"), ["gave no answer", "does not resolve", "tried 3 times"], null),
        ["TLS certificate not trusted"] = (_ => FaultServer.Start(new ServerFault.UntrustedCertificate()), null, ["gave no answer", "TLS handshake failed", "tried 3 times"], 0),
        ["accepts, never answers"] = (_ => FaultServer.Start(new ServerFault.Hang()), null, ["gave no answer", "no answer within 2 s", "tried 2 times"], 2),
        ["answers after the attempt's timeout"] = (_ => FaultServer.Start(new ServerFault.Late(TimeSpan.FromSeconds(6))), null, ["gave no answer", "no answer within 2 s", "tried 2 times"], 2),
        ["503 on every try"] = (_ => FaultServer.Start(ServerFault.Answer.Html(503, "<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>")), null, ["503", "503 Service Temporarily Unavailable", "tried 3 times"], 3),
        ["429 beyond the retries (Retry-After: 1)"] = (t => FaultServer.Start(ServerFault.Answer.Json(429, """{"error":"too many requests"}""", "Retry-After: 1")), null, ["429", "tried 3 times"], 3),
        ["502 with a gateway's HTML page"] = (_ => FaultServer.Start(ServerFault.Answer.Html(502, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>")), null, ["502", "an HTML page", "502 Bad Gateway"], 3),
        ["200 with an HTML body"] = (_ => FaultServer.Start(ServerFault.Answer.Html(200, "<html><head><title>Sign in</title></head><body>SSO</body></html>")), null, ["an HTML page", "Sign in"], 1),
        ["200 with invalid JSON"] = (_ => FaultServer.Start(ServerFault.Answer.Json(200, """{"items": [1, 2""")), null, ["not JSON", "invalid end of a number"], 1),
        ["200 with a field of the wrong type"] = (t => FaultServer.Start(ServerFault.Answer.Json(200, t.MistypedReply)), null, [], 1),
        ["200 with a body cut short"] = (_ => FaultServer.Start(new ServerFault.CutShort(4096, "{\"folders\": ["u8.ToArray())), null, ["gave no answer", "closed before the answer was complete", "tried 3 times"], 3),
        ["500 with a 10 MiB error body"] = (_ => FaultServer.Start(new ServerFault.Answer(500, "text/plain", Encoding.ASCII.GetBytes(new string('x', 10 * 1024 * 1024)), [])), null, ["500", "10.0 MiB"], 3),
        ["401: the key expired"] = (t => FaultServer.Start(ServerFault.Answer.Json(401, t.ExpiredKeyReply)), null, ["401", "expired", "tried once"], 1),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_ends_the_request_in_bounded_time_with_a_sentence_naming_target_address_request_and_what_was_tried(string fault)
    {
        var (start, closedAddress, says, requests) = Catalogue[fault];
        await using var server = start(this);
        var address = server?.Address ?? closedAddress!;
        var clock = Stopwatch.StartNew();

        var thrown = await FluentActions.Awaiting(() => CallAsync(address)).Should().ThrowAsync<Exception>();

        var seconds = clock.Elapsed.TotalSeconds;
        var message = thrown.Which.Message;
        Record(fault, seconds, server?.Requests, message);
        message.Should().Contain(Names).And.Contain(address.GetLeftPart(UriPartial.Authority)).And.Contain(Request)
            .And.NotContain(Secret).And.NotContain("\n", "it is one sentence");
        foreach (var words in fault == "200 with a field of the wrong type" ? [$"'{MistypedField}'"] : says)
        {
            message.Should().Contain(words);
        }

        message.Length.Should().BeLessThan(1500, "an error body is quoted in part, not whole");
        seconds.Should().BeLessThan(12, "every wait is bounded: 2 s an attempt, 2 retries, a Retry-After of 1 s");
        if (requests is { } expected && server is not null)
        {
            server.Requests.Should().Be(expected, "only what is safe to repeat is retried, and only as often as the limits say");
        }
    }

    private void Record(string fault, double seconds, int? requests, string message)
    {
        if (Environment.GetEnvironmentVariable("TESTBENCH_FAULT_TABLE") is not { Length: > 0 } table)
        {
            return;
        }

        var order = Catalogue.Keys.ToList().IndexOf(fault).ToString(CultureInfo.InvariantCulture);
        var row = string.Join('\t', order, Platform, fault, seconds.ToString("0.00", CultureInfo.InvariantCulture), requests?.ToString(CultureInfo.InvariantCulture) ?? "–", message);
        lock (Catalogue)
        {
            File.AppendAllText(table, row + "\n");
        }
    }
}
