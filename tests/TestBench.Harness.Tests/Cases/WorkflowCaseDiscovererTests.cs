using FluentAssertions;
using TestBench.Runner.Cases;
using TestBench.Harness.Tests.Builders;
using Xunit;
using Xunit.Sdk;

namespace TestBench.Harness.Tests.Cases;

public sealed class WorkflowCaseDiscovererTests : IDisposable
{
    private readonly TempRepository repository = new TempRepository().WithTemplate("Downloader").WithTemplate("Pipeline").WithTemplate("hello_world");
    private readonly Dictionary<string, string> environment = [];

    public WorkflowCaseDiscovererTests()
    {
        environment["TESTBENCH_ROOT"] = repository.Root;
        // One target keeps names as they always were; several targets are tested below.
        environment["TESTBENCH_TARGETS"] = "local";
        repository.WithWorkflow("image_benchmark", new WorkflowJsonBuilder()
            .WithAlgorithm("Downloader").WithAlgorithm("Pipeline").WithEntrypoint("Pipeline")
            .WithTest("10 calls in 2 min").WithTest("100 calls").Build());
        repository.WithWorkflow("hello_world", new WorkflowJsonBuilder()
            .WithAlgorithm("hello_world").WithEntrypoint("hello_world").WithTest("basic test").Build());
    }

    public void Dispose() => repository.Dispose();

    [Fact]
    public void DiscoverCases_Workflows_NameCasesWithWorkflowStageAndSubject()
    {
        var cases = Discover();

        cases.Select(c => c.DisplayName).Should().Equal(
            "hello_world › export › hello_world",
            "hello_world › basic test",
            "hello_world › cleanup › delete exported algorithms",
            "image_benchmark › export › Downloader",
            "image_benchmark › export › Pipeline",
            "image_benchmark › 10 calls in 2 min",
            "image_benchmark › 100 calls",
            "image_benchmark › cleanup › delete exported algorithms");
    }

    [Fact]
    public void DiscoverCases_BenchmarkCase_CarriesAllTraits()
    {
        var benchmark = Discover().Single(c => c.DisplayName == "image_benchmark › 100 calls");

        benchmark.Traits.Should().BeEquivalentTo(new Dictionary<string, List<string>>
        {
            ["Workflow"] = ["image_benchmark"],
            ["Algorithm"] = ["Pipeline"],
            ["Stage"] = ["Benchmark"],
            ["Target"] = ["local"],
        });
    }

    [Fact]
    public void DiscoverCases_ComparisonRun_EveryTestComparedOnItsKindWithoutExportCases()
    {
        environment.Remove("TESTBENCH_TARGETS");
        environment["TESTBENCH_COMPARE"] = "racetrack";

        var cases = Discover();

        cases.Select(c => c.DisplayName).Should().Equal(
            "hello_world › racetrack: baseline vs candidate › basic test",
            "hello_world › cleanup › delete exported algorithms",
            "image_benchmark › racetrack: baseline vs candidate › 10 calls in 2 min",
            "image_benchmark › racetrack: baseline vs candidate › 100 calls",
            "image_benchmark › cleanup › delete exported algorithms");
        cases[0].Traits.Should().BeEquivalentTo(new Dictionary<string, List<string>>
        {
            ["Workflow"] = ["hello_world"],
            ["Algorithm"] = ["hello_world"],
            ["Stage"] = ["Benchmark"],
            ["Target"] = ["racetrack"],
            ["Comparison"] = ["baseline vs candidate"],
        });
    }

    [Fact]
    public void DiscoverCases_NothingConfigured_EveryCaseOnEachEmbeddedTarget_NamedByTarget()
    {
        environment.Remove("TESTBENCH_TARGETS");

        var cases = Discover();

        cases.Where(c => c.DisplayName.StartsWith("hello_world", StringComparison.Ordinal)).Select(c => c.DisplayName).Should().Equal(
            "hello_world › local › export › hello_world",
            "hello_world › local › basic test",
            "hello_world › local › cleanup › delete exported algorithms",
            "hello_world › racetrack › export › hello_world",
            "hello_world › racetrack › basic test",
            "hello_world › racetrack › cleanup › delete exported algorithms",
            "hello_world › wallaroo › export › hello_world",
            "hello_world › wallaroo › basic test",
            "hello_world › wallaroo › cleanup › delete exported algorithms");
        cases.Where(c => c.Traits["Target"].Single() == "racetrack").Should().HaveCount(8, "--filter Target=racetrack selects every workflow's cases on Racetrack");
        cases.Select(c => c.UniqueID).Should().OnlyHaveUniqueItems();
        new WorkflowCaseOrderer().OrderTestCases(cases.Reverse().ToArray()).Select(c => c.DisplayName).Should().Equal(cases.Select(c => c.DisplayName));
    }

    [Fact]
    public void DiscoverCases_DestinationConfigured_TargetTraitIsAlgorithmia()
    {
        environment.Remove("TESTBENCH_TARGETS");
        environment["DESTINATION_API_ADDRESS"] = "https://api.example.test";

        Discover().Should().OnlyContain(c => c.Traits["Target"].Single() == "algorithmia");
    }

    [Fact]
    public void DiscoverCases_EveryCase_HasAUniqueId()
    {
        var cases = Discover();

        cases.Select(c => c.UniqueID).Should().OnlyHaveUniqueItems().And.HaveCount(8);
    }

    [Fact]
    public void DiscoverCases_BrokenFile_IsOneFailingCaseWhileOthersAreStillDiscovered()
    {
        repository.WithWorkflow("broken", """{ "algorithms": [ { "name": "x-y" } ] }""");

        var cases = Discover();

        cases.Should().HaveCount(9);
        var broken = cases.Should().ContainSingle(c => c.Traits["Workflow"].Contains("broken")).Subject;
        broken.DisplayName.Should().Be("broken › load › workflows/broken.json");
        broken.Traits["Stage"].Should().Equal("Load", "Export", "Benchmark");
    }

    [Fact]
    public void DiscoverCases_WorkflowNameSet_DiscoversOnlyThatWorkflow()
    {
        environment["WORKFLOW_NAME"] = "hello_world.json";

        Discover().Select(c => c.Traits["Workflow"].Single()).Should().Equal("hello_world", "hello_world", "hello_world");
    }

    [Fact]
    public void DiscoverCases_WorkflowNameMatchesNothing_IsAnErrorCaseThatSaysSo()
    {
        environment["WORKFLOW_NAME"] = "nope";

        var error = Discover().Should().ContainSingle().Subject.Should().BeOfType<ExecutionErrorTestCase>().Subject;

        error.ErrorMessage.Should().Be($"No workflow files named 'nope' (WORKFLOW_NAME) in {repository.WorkflowsDirectory}");
    }

    [Fact]
    public void Discover_RepositoryNotFound_ReturnsAnErrorCaseInsteadOfThrowing()
    {
        environment["TESTBENCH_ROOT"] = Path.Combine(repository.Root, "missing");

        var error = Discover().Should().ContainSingle().Subject.Should().BeOfType<ExecutionErrorTestCase>().Subject;

        error.ErrorMessage.Should().Be($"Workflow discovery failed: TESTBENCH_ROOT names '{repository.Root}/missing', which is not a folder.");
    }

    [Fact]
    public void SerializationRoundTrip_KeepsIdNameAndTraits()
    {
        var original = Discover().Single(c => c.DisplayName == "image_benchmark › export › Pipeline");

        var copy = SerializationHelper.Deserialize<IXunitTestCase>(SerializationHelper.Serialize(original));

        copy.Should().BeOfType<WorkflowTestCase>();
        copy.UniqueID.Should().Be(original.UniqueID);
        copy.DisplayName.Should().Be(original.DisplayName);
        copy.Traits.Should().BeEquivalentTo(original.Traits);
        ((WorkflowTestCase)copy).Case.Should().BeEquivalentTo(((WorkflowTestCase)original).Case);
    }

    [Fact]
    public void Orderer_ShuffledCases_RunGroupedByWorkflowInFileOrder()
    {
        var cases = Discover();
        var shuffled = cases.Reverse().ToArray();

        var ordered = new WorkflowCaseOrderer().OrderTestCases(shuffled);

        ordered.Select(c => c.DisplayName).Should().Equal(cases.Select(c => c.DisplayName));
    }

    private IXunitTestCase[] Discover() =>
        new WorkflowCaseDiscoverer(new NullMessageSink(), Lookup, repository.Root)
            .Discover(new DiscoveryOptions(), RunMethod(), factAttribute: null!)
            .ToArray();

    private string? Lookup(string name) => environment.GetValueOrDefault(name);

    private static TestMethod RunMethod()
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(CasesHost).Assembly));
        var collection = new TestCollection(assembly, null, "test collection");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(CasesHost)));
        return new TestMethod(testClass, Reflector.Wrap(typeof(CasesHost).GetMethod(nameof(CasesHost.Run))!));
    }

    /// <summary>A method that asks for workflow cases, as the benchmark's does. Private, so this project's own test
    /// discovery never turns the repository's workflows into cases here.</summary>
#pragma warning disable xUnit1000 // Not a test class: private on purpose (see above).
    private sealed class CasesHost
#pragma warning restore xUnit1000
    {
        [WorkflowCases]
        public Task Run(WorkflowCase @case) => Task.CompletedTask;
    }
}
