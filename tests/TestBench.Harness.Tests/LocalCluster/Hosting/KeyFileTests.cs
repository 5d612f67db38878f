using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Access;
using Xunit;
using EmbeddedCluster = TestBench.LocalCluster.Hosting.LocalCluster;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary><c>keys.json</c> holds salted hashes only, on real clusters started on a temporary folder.</summary>
public sealed class KeyFileTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("testbench-keys-").FullName;

    private string KeyFilePath => Path.Combine(dataDirectory, KeyFile.Name);

    [Fact]
    public async Task Start_WritesNoKeyInPlainText_OwnerOnly()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None);

        var text = await File.ReadAllTextAsync(KeyFilePath);
        foreach (var key in cluster.UserKeys.Values.Append(cluster.AdminKey))
        {
            text.Should().NotContain(key);
        }

        JsonNode.Parse(text)!["users"]!.AsObject().Select(pair => pair.Key).Should().BeEquivalentTo("alice", "bob");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(KeyFilePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Restart_KeptKeyStillWorks_AWrongOneDoesNot()
    {
        string aliceKey;
        await using (var first = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None))
        {
            aliceKey = first.UserKeys["alice"];
        }

        await using var restarted = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None);
        using var alice = new ClusterClient(restarted, "alice", aliceKey);
        using var stranger = new ClusterClient(restarted, "alice", aliceKey[..^1] + (aliceKey[^1] == 'a' ? 'b' : 'a'));

        (await alice.Http.GetAsync("v1/data/alice")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await stranger.Http.GetAsync("v1/data/alice")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        restarted.Invoking(c => c.AdminKey).Should().Throw<InvalidOperationException>().WithMessage("*the admin*salted hashes*delete keys.json*");
    }

    [Fact]
    public async Task Restart_WithAGivenKey_ReplacesTheKeptOne()
    {
        string oldKey;
        await using (var first = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None))
        {
            oldKey = first.UserKeys["alice"];
        }

        var given = ApiKeys.NewKey();
        var options = ClusterFixture.Options(dataDirectory) with { Users = new Dictionary<string, string?> { ["alice"] = given, ["bob"] = null } };
        await using var restarted = await EmbeddedCluster.StartAsync(options, CancellationToken.None);
        using var withGiven = new ClusterClient(restarted, "alice");
        using var withOld = new ClusterClient(restarted, "alice", oldKey);

        restarted.UserKeys.Should().ContainKey("alice").WhoseValue.Should().Be(given);
        restarted.Keys.DescribeKept().Should().Be("user bob, the admin");
        (await withGiven.Http.GetAsync("v1/data/alice")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await withOld.Http.GetAsync("v1/data/alice")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PlainKeyFileOfAnEarlierVersion_IsRewrittenHashed_AndItsKeysKeepWorking()
    {
        await File.WriteAllTextAsync(KeyFilePath, """{"alice":"simaaaaaaaaaaaaaaaaaaaaaaaaaa","bob":"simbbbbbbbbbbbbbbbbbbbbbbbbbb","(admin)":"simcccccccccccccccccccccccccc"}""");

        await using var cluster = await EmbeddedCluster.StartAsync(ClusterFixture.Options(dataDirectory), CancellationToken.None);
        using var alice = new ClusterClient(cluster, "alice");

        cluster.UserKeys["alice"].Should().Be("simaaaaaaaaaaaaaaaaaaaaaaaaaa", "a key read in plain text this once can still be shown");
        cluster.AdminKey.Should().Be("simcccccccccccccccccccccccccc");
        (await alice.Http.GetAsync("v1/data/alice")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await File.ReadAllTextAsync(KeyFilePath)).Should().NotContain("simaaaa").And.NotContain("simcccc").And.Contain("hmac_sha256");
    }

    [Theory]
    [InlineData("[1]", "$ is not a JSON object")]
    [InlineData("""{"users":{"alice":{"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}}}""", "$.users.alice.hmac_sha256 is not a base64 string")]
    [InlineData("""{"users":{"alice":{"salt":"AA==","hmac_sha256":"AA=="}}}""", "$.users.alice.salt is not base64 of at least 8 bytes")]
    [InlineData("""{"alice":5}""", "$.alice is not a key")]
    [InlineData("{", "not valid JSON")]
    public void MalformedKeyFile_NamesTheFileAndTheField(string content, string problem)
    {
        File.WriteAllText(KeyFilePath, content);

        var read = () => KeyFile.Read(dataDirectory);

        read.Should().Throw<InvalidDataException>().WithMessage($"{KeyFilePath}: {problem}*");
    }

    [Fact]
    public void StoredKey_MatchesOnlyItsKey_AndTwoStoresOfOneKeyDiffer()
    {
        var first = StoredKey.Of("simsecret");
        var second = StoredKey.Of("simsecret");

        first.Matches("simsecret").Should().BeTrue();
        first.Matches("simsecreT").Should().BeFalse();
        first.Matches("").Should().BeFalse();
        first.Hash.Should().NotEqual(second.Hash, "each store has its own salt");
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
