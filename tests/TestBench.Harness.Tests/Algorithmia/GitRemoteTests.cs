using FluentAssertions;
using TestBench.Harness.Algorithmia;
using Xunit;

namespace TestBench.Harness.Tests.Algorithmia;

public sealed class GitRemoteTests
{
    [Theory]
    [InlineData("https://api.algorithmia.com", "https://git.algorithmia.com/git/alice/Hello.git")]
    [InlineData("https://api.cluster.example.org/", "https://git.cluster.example.org/git/alice/Hello.git")]
    [InlineData("https://API.example.org:8443", "https://git.example.org:8443/git/alice/Hello.git")]
    [InlineData("http://127.0.0.1:8800/", "http://127.0.0.1:8800/git/alice/Hello.git")]
    [InlineData("https://gateway.example.org", "https://gateway.example.org/git/alice/Hello.git")]
    [InlineData("https://apis.example.org", "https://apis.example.org/git/alice/Hello.git")]
    public void For_DerivesTheRepositoryFromTheApiAddress(string api, string expected) =>
        GitRemote.For(new Uri(api), "alice", "Hello").ToString().Should().Be(expected);
}
