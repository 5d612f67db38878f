using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Tests.LocalCluster.Runtime;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Export;

/// <summary>Runs alone: it samples the whole test process's working set, which other tests would move.</summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class SourcePackagerMemoryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-packager-").FullName;

    [Fact]
    public async Task Package_TextEntryOf256MiB_IsRenderedInBoundedMemory()
    {
        const int mebibytes = 256;
        const int lines = mebibytes * 1024 * 16;
        var source = Path.Combine(root, "algorithms", "Big", "src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "Big.py"), "def apply(input):\n    return 'Big'\n");
        await using (var data = new StreamWriter(Path.Combine(source, "table.txt")))
        {
            // 64-byte lines naming the algorithm and the user, so every line is rewritten.
            var mebibyte = string.Concat(Enumerable.Repeat("Big <user> 0123456789012345678901234567890123456789012345678901\n", 1024 * 16));
            for (var i = 0; i < mebibytes; i++)
            {
                await data.WriteAsync(mebibyte);
            }
        }

        var template = new SourceTemplate("dest", new Dictionary<string, string> { ["Big"] = "Big_x1" });
        var package = Path.Combine(root, "package");
        GC.Collect();
        await using var workingSet = new WorkingSetSampler();

        await Packager().PackageAsync(new AlgorithmSpec { Name = "Big", Environment = new EnvironmentSelector { Language = "python3" }, DataFiles = [], TestPayload = default }, template, package, CancellationToken.None);

        // Holding the entry whole adds at least its 256 MiB (1.16 GB peak for 1 GiB before streaming). Streamed, the
        // growth is 7-11 MiB alone, and after the whole suite anywhere from none to 118 MiB (once, in CI).
        workingSet.Growth.Should().BeLessThan(176L * 1024 * 1024, "a 256 MiB entry must not be held whole");
        var rendered = new FileInfo(Path.Combine(package, "src", "table.txt"));
        rendered.Length.Should().Be((long)lines * "Big_x1 dest 0123456789012345678901234567890123456789012345678901\n".Length);
        using var reader = rendered.OpenText();
        (await reader.ReadLineAsync()).Should().Be("Big_x1 dest 0123456789012345678901234567890123456789012345678901");
        File.Exists(Path.Combine(package, "src", "Big_x1.py")).Should().BeTrue();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private SourcePackager Packager()
    {
        var unused = new ClusterConnection("unused", new Uri("http://127.0.0.1:9/"), "key");
        return new SourcePackager(new AlgorithmiaClient(unused), new RepositoryLayout { Root = root });
    }
}
