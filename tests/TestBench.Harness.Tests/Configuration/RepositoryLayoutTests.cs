using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Configuration;

public sealed class RepositoryLayoutTests : IDisposable
{
    private readonly TempRepository repository = new();

    public void Dispose() => repository.Dispose();

    [Fact]
    public void Locate_FromBelowTheRoot_FindsTheFolderWithSolutionAndWorkflows()
    {
        var deep = Directory.CreateDirectory(Path.Combine(repository.Root, "tests", "X", "bin", "Debug")).FullName;

        var layout = RepositoryLayout.Locate(deep, _ => null);

        layout.Root.Should().Be(repository.Root);
        layout.WorkflowsDirectory.Should().Be(Path.Combine(repository.Root, "workflows"));
    }

    [Fact]
    public void Locate_RootVariableSet_WinsOverTheWalk()
    {
        var other = Directory.CreateTempSubdirectory("testbench-other-").FullName;

        var layout = RepositoryLayout.Locate(repository.Root, name => name == RepositoryLayout.RootVariable ? other : null);

        layout.Root.Should().Be(other);
        Directory.Delete(other);
    }

    [Fact]
    public void Locate_NothingFound_SaysWhereItLookedAndWhatToSet()
    {
        var act = () => RepositoryLayout.Locate(Path.GetTempPath(), _ => null);

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("No folder at or above '*' holds TestBench.sln and workflows/; set TESTBENCH_ROOT to the repository root.");
    }
}
