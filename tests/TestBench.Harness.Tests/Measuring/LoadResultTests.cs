using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Measuring;

public sealed class LoadResultTests
{
    [Fact]
    public void A_failed_test_says_how_many_calls_failed_how_and_the_first_error()
    {
        var load = new LoadResultBuilder().WithCalls(200, failed: 150).Build() with { Throttled = 10, Dropped = 5, FirstError = "the connection was refused" };

        load.DescribeFailures().Should().Be(
            "165 of 205 calls failed (150 answered with an error or not at all, 10 throttled (429), 5 never sent; benchmark calls are not retried); the first: the connection was refused");
    }

    [Fact]
    public void A_test_that_made_no_call_says_so()
    {
        new LoadResultBuilder().WithCalls(0).Build().DescribeFailures().Should().Be("no call was made");
    }
}
