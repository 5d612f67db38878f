using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Builds tar.gz archives in memory, including malicious ones: <c>new TarGzBuilder().WithFile("src/x.py", "…").Build()</c>.</summary>
public sealed class TarGzBuilder
{
    private readonly List<TarEntry> entries = [];

    public TarGzBuilder WithFile(string name, string content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
        entries.Add(entry);
        return this;
    }

    public TarGzBuilder WithSymlink(string name, string target)
    {
        entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
