using FluentAssertions;
using TestBench.LocalCluster.Hosting;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

public sealed class ClusterAnnouncementTests
{
    private const string Secret = "simSECRET0123456789";

    [Fact]
    public void Parse_WhatACluster_Announces_RoundTrips()
    {
        var announced = new ClusterAnnouncement
        {
            Address = new Uri("http://127.0.0.1:41234/"),
            UserKeys = new Dictionary<string, string> { ["testbench"] = Secret },
            AdminKey = "simADMIN",
            Optimized = true,
            Instrumented = false,
        };

        var parsed = ClusterAnnouncement.Parse(announced.ToJson());

        parsed.Should().BeEquivalentTo(announced);
    }

    [Theory]
    [InlineData("""{"address":"http://127.0.0.1:1/","user_keys":{"u":"simSECRET0123456789"},"optimized":true,"instrumented":false}""", "missing required properties including: 'admin_key'")]
    [InlineData("""{"address":"http://10.0.0.1:1/","user_keys":{"u":"simSECRET0123456789"},"admin_key":"a","optimized":true,"instrumented":false}""", "no loopback address")]
    [InlineData("""{"address":"http://127.0.0.1:1/","user_keys":{},"admin_key":"a","optimized":true,"instrumented":false}""", "lacks a user or admin key")]
    [InlineData("""{"address":"http://127.0.0.1:1/","user_keys":{"u":"simSECRET0123456789"},"admin_key":"a","optimized":"yes","instrumented":false}""", "$.optimized")]
    [InlineData("{not json simSECRET0123456789", "not valid")]
    public void Parse_BadLine_SaysWhatIsWrongWithoutEchoingKeys(string line, string expected)
    {
        var parse = () => ClusterAnnouncement.Parse(line);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(expected).And.NotContain(Secret);
    }
}
