using System.Text;
using FluentAssertions;
using TestBench.LocalCluster.Runtime;
using TestBench.Harness.Processes;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

public sealed class CapturedOutputTests
{
    [Fact]
    public void Take_BeyondTheLimit_KeepsWhatFitsAndCountsTheRest()
    {
        var sut = new CapturedOutput(limitBytes: 12);
        sut.AppendLine("hello", 0);
        sut.AppendLine("world", 0);
        sut.AppendLine("left out", 3);

        sut.Take().Should().Be("hello\nworld\n[… 12 bytes truncated]\n");
        sut.Take().Should().BeEmpty("taking starts afresh");
    }

    [Fact]
    public async Task ReadLine_LineLongerThanTheLimit_KeepsItsStartAndCountsTheCut()
    {
        var text = new string('a', 100_000) + "\nshort\r\nlast";
        using var stream = new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var sut = new BoundedLineReader(stream, maxLineChars: 10);

        (await sut.ReadLineAsync()).Should().Be((new string('a', 10), 99_990L));
        (await sut.ReadLineAsync()).Should().Be(("short", 0L));
        (await sut.ReadLineAsync()).Should().Be(("last", 0L));
        (await sut.ReadLineAsync()).Should().BeNull();
    }
}
