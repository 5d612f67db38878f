using FluentAssertions;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Workflows;

public sealed class SourceTemplateTests
{
    private static readonly Dictionary<string, string> Renames = new()
    {
        ["Smart"] = "Smart_ab12",
        ["SmartImageDownloader"] = "SmartImageDownloader_ab12",
        ["ParallelPipelining"] = "ParallelPipelining_ab12",
    };

    public static TheoryData<int> BlockSizes => [1, 2, 3, 5, 8, 13, 64];

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task RenderAsync_AnyBlockSize_RendersExactlyAsTheWholeText(int blockChars)
    {
        var sut = CreateSut();
        var random = new Random(blockChars);
        string[] pieces = ["Smart", "SmartImageDownloader", "ParallelPipelining", "<user>", "<us", "er>", "_test", "_", "x", "9", " ", "\n", "\r\n", "(", "'", "/", ".", "<", ">", "é", "Smarty"];
        foreach (var _ in Enumerable.Range(0, 200))
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            using var output = new StringWriter();

            await sut.RenderAsync(new StringReader(text), output, CancellationToken.None, blockChars);

            output.ToString().Should().Be(sut.RenderText(text), $"'{text}' rendered in blocks of {blockChars}");
        }
    }

    [Fact]
    public async Task RenderAsync_RunWithoutACutPointBeyondTheLimit_NamesTheProblem()
    {
        using var output = new StringWriter();

        var act = () => CreateSut().RenderAsync(new StringReader(new string('a', 100)), output, CancellationToken.None, blockChars: 8, maxRunChars: 50);

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("the text has a run of more than 50 characters without a space, line break or punctuation*");
    }

    [Fact]
    public void RenderText_UserPlaceholder_BecomesDestinationUser()
    {
        var text = CreateSut().RenderText("data://.algo/<user>/x/temp and <user>");

        text.Should().Be("data://.algo/testbench/x/temp and testbench");
    }

    [Fact]
    public void RenderText_NameInsideLongerTemplateName_RenamesOnlyTheLongerOne()
    {
        var text = CreateSut().RenderText("client.algo('algo://.my/SmartImageDownloader/latestPrivate'); Smart()");

        text.Should().Be("client.algo('algo://.my/SmartImageDownloader_ab12/latestPrivate'); Smart_ab12()");
    }

    [Fact]
    public void RenderText_NamePartOfAnotherIdentifier_IsLeftAlone()
    {
        var text = CreateSut().RenderText("SmartImageDownloaderV2 my_Smart Smarty");

        text.Should().Be("SmartImageDownloaderV2 my_Smart Smarty");
    }

    [Fact]
    public void RenderText_NameFollowedByUnderscore_IsRenamed()
    {
        var text = CreateSut().RenderText("from .ParallelPipelining import apply  # ParallelPipelining_test");

        text.Should().Be("from .ParallelPipelining_ab12 import apply  # ParallelPipelining_ab12_test");
    }

    [Theory]
    [InlineData("SmartImageDownloader.py", "SmartImageDownloader_ab12.py")]
    [InlineData("SmartImageDownloader_test.py", "SmartImageDownloader_ab12_test.py")]
    [InlineData("ImageSites.py", "ImageSites.py")]
    [InlineData("__init__.py", "__init__.py")]
    public void RenderFileName_TemplateFiles_AreRenamed(string name, string expected)
    {
        CreateSut().RenderFileName(name).Should().Be(expected);
    }

    [Fact]
    public void RenderText_NoRenames_OnlyReplacesUser()
    {
        var sut = new SourceTemplate("me", new Dictionary<string, string>());

        sut.RenderText("<user> SmartImageDownloader").Should().Be("me SmartImageDownloader");
    }

    private static SourceTemplate CreateSut() => new("testbench", Renames);
}
