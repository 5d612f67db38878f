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

    [Theory]
    [InlineData("Python 3.7", null)]
    [InlineData("Python 2.7", "/usr/bin/python2 does not exist")]
    [InlineData("Python 3.7 + TensorFlow GPU 2.3", "it needs TensorFlow 2.3 with a GPU")]
    [InlineData("Python 3.7 + TensorFlow GPU 1.14", "it needs TensorFlow 1.14 with a GPU")]
    [InlineData("Selenium 3.141.x with Python 3.7", "it needs selenium 3.141.x")]
    public void ShippedCatalog_TheOriginalToolsEnvironmentNames_AreEachCurrentOrSayWhatIsMissing(string name, string? problem)
    {
        var sut = new EnvironmentCatalog(EnvironmentCatalog.ReadFile(Path.Combine(AppContext.BaseDirectory, "environments.json")), AlgorithmWorkspace.Python);
        var environment = sut.Available.Single(e => e.DisplayName == name);

        if (problem is null)
        {
            sut.ProblemWith(environment.Id).Should().BeNull();
            environment.ServedBy.Should().Contain("this machine's Python 3");
        }
        else
        {
            sut.ProblemWith(environment.Id).Should().Contain(problem);
            if (environment.NotInstallable is not null)
            {
                sut.Sync(environment).Should().NotContain("; install", "nothing can be installed to make it work here");
            }
        }
    }

    [Fact]
    public void ReadFiles_UserFile_AddsEntriesAndReplacesOnesWithTheSameName()
    {
        var user = Path.GetTempFileName();
        File.WriteAllText(user, """
            [ { "id": "mine", "environment_specification_id": "spec-mine", "display_name": "Python 3.7", "language": "python3",
                "interpreter": "default", "probe": "json", "served_by": "my Python" },
              { "id": "extra", "environment_specification_id": "spec-extra", "display_name": "Python 3.9", "language": "python3", "interpreter": "default" } ]
            """);
        try
        {
            var environments = EnvironmentCatalog.ReadFiles(Path.Combine(AppContext.BaseDirectory, "environments.json"), user);

            environments.Should().ContainSingle(e => e.DisplayName == "Python 3.7").Which.ServedBy.Should().Be("my Python");
            environments.Should().Contain(e => e.DisplayName == "Python 3.9").And.Contain(e => e.DisplayName == "Python 3 + Pillow");
        }
        finally
        {
            File.Delete(user);
        }
    }

    [Theory]
    [InlineData("""[{"id":"a","environment_specification_id":"s","display_name":"A","language":"python3","interpreter":"default","gpu":true}]""", "$[0]*gpu*")]
    [InlineData("""[{"id":"a","environment_specification_id":"s","display_name":"A","language":"python3","interpreter":"default"},{"id":"a","environment_specification_id":"s","display_name":"B","language":"python3","interpreter":"default"}]""", "'a' is listed more than once")]
    public void ReadFiles_BadUserFile_NamesTheFileAndTheProblem(string content, string problem)
    {
        var user = Path.GetTempFileName();
        File.WriteAllText(user, content);
        try
        {
            var act = () => EnvironmentCatalog.ReadFiles(Path.Combine(AppContext.BaseDirectory, "environments.json"), user);

            act.Should().Throw<InvalidDataException>().WithMessage($"{user}: *{problem}*");
        }
        finally
        {
            File.Delete(user);
        }
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
