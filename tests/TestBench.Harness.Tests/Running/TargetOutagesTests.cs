using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Reporting;
using TestBench.Harness.Resilience;
using TestBench.Harness.Running;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class TargetOutagesTests : IDisposable
{
    private static readonly TargetEndpoint Racetrack = new("racetrack target", new Uri("http://127.0.0.1:9/"));
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-outages-").FullName;
    private readonly ResultsFile results;
    private readonly TargetOutages outages;

    public TargetOutagesTests()
    {
        results = new ResultsFile(directory);
        outages = new TargetOutages(results, () => new SecretRedactor(["rt0123456789"]), TimeProvider.System);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_failure_caused_by_a_server_that_gave_no_answer_marks_the_target_down_once()
    {
        var refused = Fault(FaultKind.Unreachable);
        var failure = new InvalidOperationException("the benchmark failed", refused);

        var first = await outages.CheckAfterFailureAsync("racetrack", "hello_world › basic test", failure, probe: null);
        var second = await outages.CheckAfterFailureAsync("racetrack", "hello_world › 200 calls", refused, probe: null);

        first.Should().BeSameAs(second);
        first!.Reason.Should().Be(refused.Message);
        first.Describe().Should().StartWith("not run: the racetrack target stopped answering during 'hello_world › basic test'");
        results.Outages.Should().ContainSingle("a target that is down is said once");
        outages.Of("local").Should().BeNull("a fault on one target stays there");
    }

    [Fact]
    public async Task Any_other_failure_asks_the_target_and_only_no_answer_counts_as_down()
    {
        var assertion = new InvalidOperationException("p99 regressed");

        var answered = await outages.CheckAfterFailureAsync("racetrack", "a", assertion, _ => Task.CompletedTask);
        var answeredWithAnError = await outages.CheckAfterFailureAsync("racetrack", "b", assertion, _ => Task.FromException(new AlgorithmiaApiException("destination", "GET", "/v1/data/", System.Net.HttpStatusCode.InternalServerError, null, "boom")));
        var noAnswer = await outages.CheckAfterFailureAsync("racetrack", "c", assertion, _ => Task.FromException(Fault(FaultKind.Hung)));

        answered.Should().BeNull();
        answeredWithAnError.Should().BeNull("an error status shows the target is there");
        noAnswer!.FoundDuring.Should().Be("c");
    }

    [Fact]
    public void A_target_that_could_not_be_set_up_is_said_so_with_the_secret_redacted()
    {
        var outage = outages.RecordAtStart("racetrack", new InvalidOperationException("Lifecycle refused token rt0123456789"));

        outage.Describe().Should().Contain("the racetrack target could not be set up at the start of the run").And.Contain("refused token ***").And.NotContain("rt0123456789");
        outages.Of("racetrack").Should().Be(outage);
    }

    private static TargetFaultException Fault(FaultKind kind) =>
        new(Racetrack, "GET /api/v1/job", kind, "the connection was refused", new Attempts(5, TimeSpan.FromSeconds(4.6)));
}
