using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Builds;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Builds;

public sealed class EnvironmentCatalogTests
{
    private static readonly EnvironmentSpec Plain = Spec("plain", "Python 3", "");
    private static readonly EnvironmentSpec NeedsMissingPackage = Spec("missing", "Python 3 + Nothing", "testbench_no_such_module") with { InstallHint = "python3-nothing" };

    [Fact]
    public void Current_EnvironmentWhoseProbeFails_IsOnlyAvailable()
    {
        var sut = new EnvironmentCatalog([Plain, NeedsMissingPackage], AlgorithmWorkspace.Python);

        sut.Available.Select(e => e.Id).Should().Equal("plain", "missing");
        sut.Current.Select(e => e.Id).Should().Equal("plain");
        sut.ProblemWith("missing").Should().Contain("testbench_no_such_module");
    }

    [Fact]
    public void Sync_UnusableEnvironment_FailsSayingWhatToInstall()
    {
        var sut = new EnvironmentCatalog([NeedsMissingPackage], AlgorithmWorkspace.Python);

        var result = sut.Sync(NeedsMissingPackage);

        result.Should().StartWith("failed: Python 3 + Nothing cannot be installed on this local cluster:")
            .And.Contain("No module named 'testbench_no_such_module'")
            .And.EndWith("; install python3-nothing on this machine");
        sut.SyncResult("missing").Should().Be(result);
    }

    [Fact]
    public void ReadFile_ShippedCatalog_Loads()
    {
        var environments = EnvironmentCatalog.ReadFile(Path.Combine(AppContext.BaseDirectory, "environments.json"));

        environments.Should().Contain(e => e.DisplayName == "Python 3 + Pillow" && e.Probe == "PIL" && e.InstallHint!.Contains("python3-pil"));
    }

    [Fact]
    public void ReadFile_Malformed_NamesTheFileAndPath()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """[{"id": 3}]""");

        var act = () => EnvironmentCatalog.ReadFile(file);

        act.Should().Throw<InvalidDataException>().WithMessage($"{file}: $[0].id: *");
        File.Delete(file);
    }

    private static EnvironmentSpec Spec(string id, string name, string probe) => new()
    {
        Id = id,
        EnvironmentSpecificationId = "spec-" + id,
        DisplayName = name,
        Language = "python3",
        Interpreter = "default",
        Probe = probe,
    };
}
