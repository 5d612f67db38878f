using FluentAssertions;
using TestBench.Harness.Reporting;
using Xunit;

namespace TestBench.Harness.Tests.Reporting;

public sealed class RunAttachmentsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("testbench-attach-test-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Attach_NoCollector_LeavesTheFileWhereItIs()
    {
        var file = Write("report.html");

        RunAttachments.Attach(file, _ => null).Should().BeFalse();
    }

    [Fact]
    public void Attach_CollectorFolder_CopiesTheFileThere()
    {
        var file = Write("report.html");
        var drop = Directory.CreateDirectory(Path.Combine(directory, "drop")).FullName;

        RunAttachments.Attach(file, name => name == RunAttachments.Variable ? drop : null).Should().BeTrue();

        File.ReadAllText(Path.Combine(drop, "report.html")).Should().Be("content of report.html");
        File.Exists(file).Should().BeTrue();
    }

    [Fact]
    public void Attach_FolderMissing_NamesTheVariable()
    {
        var file = Write("report.html");

        var act = () => RunAttachments.Attach(file, _ => "/nonexistent/testbench-drop");

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("TESTBENCH_ATTACHMENTS_DIRECTORY names '/nonexistent/testbench-drop', which does not exist*");
    }

    private string Write(string name)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "content of " + name);
        return path;
    }
}
