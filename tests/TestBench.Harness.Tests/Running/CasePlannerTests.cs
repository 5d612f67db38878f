using FluentAssertions;
using TestBench.Harness.Running;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Running;

public sealed class CasePlannerTests : IDisposable
{
    private readonly TempRepository repository = new TempRepository().WithTemplate("Downloader").WithTemplate("Pipeline");

    public void Dispose() => repository.Dispose();

    [Fact]
    public void Plan_ValidWorkflow_ExportsInFileOrderThenTestsThenCleanup()
    {
        var path = repository.WithWorkflow("image_benchmark", new WorkflowJsonBuilder()
            .WithAlgorithm("Downloader").WithAlgorithm("Pipeline").WithEntrypoint("Pipeline")
            .WithTest("10 calls in 2 min").WithTest("larger").Build());

        var cases = CasePlanner.Plan(new WorkflowLoader(repository.Root).Load(path));

        cases.Select(c => (c.DisplayName, c.Stage, c.Algorithm, c.Sequence)).Should().Equal(
            ("image_benchmark › export › Downloader", CaseStage.Export, "Downloader", 0),
            ("image_benchmark › export › Pipeline", CaseStage.Export, "Pipeline", 1),
            ("image_benchmark › 10 calls in 2 min", CaseStage.Benchmark, "Pipeline", 2),
            ("image_benchmark › larger", CaseStage.Benchmark, "Pipeline", 3),
            ("image_benchmark › cleanup › delete exported algorithms", CaseStage.Cleanup, null, 4));
    }

    [Fact]
    public void Plan_InvalidWorkflow_IsOneLoadCaseNamedAfterTheFile()
    {
        var path = repository.WithWorkflow("broken", "{ not json");

        var cases = CasePlanner.Plan(new WorkflowLoader(repository.Root).Load(path));

        cases.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Workflow = "broken",
            Stage = CaseStage.Load,
            Algorithm = (string?)null,
            DisplayName = "broken › load › workflows/broken.json",
        });
    }
}
