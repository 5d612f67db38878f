using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.LocalCluster.Isolation;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Isolation;

/// <summary>
/// The tenant's side of the isolation tests: <c>TestData/Isolation/isolation_probe.py</c>, which tries from inside algorithm
/// code what a tenant must not do, and the expectations every sandbox on every stand-in must meet.
/// </summary>
public static class IsolationProbe
{
    /// <summary>The file the probe tries to write into each folder it is asked to.</summary>
    public const string WrittenFile = "written-by-a-tenant";

    /// <summary>The probe module's source (Python, standard library only).</summary>
    public static string Source { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Isolation", "isolation_probe.py"));

    /// <summary>A request for the privilege checks, reading <paramref name="read"/> and writing into <paramref name="write"/>.</summary>
    public static JsonObject Checks(IEnumerable<string> read, IEnumerable<string> write) => new()
    {
        ["op"] = "checks",
        ["read"] = new JsonArray([.. read.Select(path => (JsonNode)path)]),
        ["write"] = new JsonArray([.. write.Select(path => (JsonNode)path)]),
    };

    /// <summary>Skips the calling test, saying why, on a machine without a sandbox.</summary>
    public static async Task SkipWithoutSandboxAsync()
    {
        var choice = await Sandbox.DetectAsync(CancellationToken.None);
        Skip.If(choice.Sandbox is null, $"no sandbox on this machine: {choice.WhyNot}");
    }

    /// <summary>What the checks must show: an unprivileged uid, no capability, every privileged call and foreign path denied.</summary>
    public static void ShouldShowNoPrivilege(JsonNode? checks, string where)
    {
        checks.Should().NotBeNull(where);
        var because = $"{where}: {checks!.ToJsonString()}";
        checks["uid"]!.GetValue<int>().Should().NotBe(0, because);
        checks["cap_eff"]!.GetValue<string>().Should().MatchRegex("^0+$", because);
        checks["cap_bnd"]!.GetValue<string>().Should().MatchRegex("^0+$", because);
        checks["no_new_privs"]!.GetValue<string>().Should().Be("1", because);
        foreach (var call in new[] { "packet_socket", "raw_socket", "open_by_handle_at", "remount", "user_namespace" })
        {
            checks[call]!.GetValue<string>().Should().StartWith("denied:", $"{call} must fail — {because}");
        }

        foreach (var (path, outcome) in checks["read"]!.AsObject())
        {
            outcome!.GetValue<string>().Should().StartWith("denied:", $"{path} belongs to someone else — {because}");
        }

        // A folder the sandbox made only as the parent of a mount point lives in its private /tmp: writing there (the
        // code owns it under an ordinary user) must not reach the host's folder of the same path.
        foreach (var (path, _) in checks["write"]!.AsObject())
        {
            File.Exists(Path.Combine(path, WrittenFile)).Should().BeFalse($"a tenant's write into {path} must not reach the host — {because}");
        }
    }
}
