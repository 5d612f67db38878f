using FluentAssertions;
using TestBench.LocalCluster.Storage;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Storage;

public sealed class VersionResolverTests
{
    private static readonly string ShaA = new('a', 40);
    private static readonly string ShaB = new('b', 40);
    private static readonly string ShaC = new('c', 40);

    [Theory]
    [InlineData(null, true, "1.1.0")]
    [InlineData("latestPrivate", true, "2.0.0")]
    [InlineData("1.*", false, "1.1.0")]
    [InlineData("1.0.*", false, "1.0.0")]
    [InlineData("2.0.0", true, "2.0.0")]
    public void Resolve_VersionForms_PickTheRightBuild(string? version, bool owner, string expected)
    {
        var (_, resolved, problem, _) = VersionResolver.Resolve(CreateAlgorithm(), version, owner);

        problem.Should().BeNull();
        resolved!.SemanticVersion.Should().Be(expected);
    }

    [Theory]
    [InlineData("2.0.0", "no published version")]
    [InlineData("latestPrivate", "latestPrivate can only be called by the owner")]
    [InlineData("2.*", "no published version")]
    public void Resolve_PrivateVersionsForOthers_AreNotFound(string version, string problem)
    {
        var (build, _, message, _) = VersionResolver.Resolve(CreateAlgorithm(), version, callerIsOwner: false);

        build.Should().BeNull();
        message.Should().Contain(problem);
    }

    [Fact]
    public void Resolve_ShaOfUnbuiltCommit_SaysVersionHash()
    {
        var (_, _, message, notBuilt) = VersionResolver.Resolve(CreateAlgorithm(), new string('d', 40), callerIsOwner: true);

        notBuilt.Should().BeTrue();
        message.Should().Contain("version hash");
    }

    [Theory]
    [InlineData(null, "minor", "0.1.0")]
    [InlineData("0.1.0", "minor", "0.2.0")]
    [InlineData("0.2.3", "major", "1.0.0")]
    [InlineData("1.2.3", "patch", "1.2.4")]
    [InlineData("1.2.3", "revision", "1.2.4")]
    public void Next_BumpKinds_FollowSemanticVersioning(string? latest, string bump, string expected)
    {
        VersionResolver.Next(latest, bump).Should().Be(expected);
    }

    private static AlgorithmRecord CreateAlgorithm()
    {
        var algorithm = new AlgorithmRecord { Id = "1", Owner = "alice", Name = "A", CreatedAt = DateTimeOffset.UnixEpoch, EnvironmentId = "python3-local" };
        foreach (var sha in new[] { ShaA, ShaB, ShaC })
        {
            algorithm.Builds.Add(new BuildRecord { BuildId = sha[..1], CommitSha = sha, Status = BuildRecord.Succeeded, StartedAt = DateTimeOffset.UnixEpoch, CodeDirectory = "/x" });
        }

        algorithm.Versions.Add(Version(ShaA, "1.0.0", "public"));
        algorithm.Versions.Add(Version(ShaB, "1.1.0", "public"));
        algorithm.Versions.Add(Version(ShaC, "2.0.0", "private"));
        return algorithm;
    }

    private static VersionRecord Version(string sha, string semantic, string callability) =>
        new() { GitHash = sha, SemanticVersion = semantic, Callability = callability, PublishedAt = DateTimeOffset.UnixEpoch };
}
