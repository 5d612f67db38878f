using System.Runtime.InteropServices;
using System.Text;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The named FIFO a runner writes its answers to. The server opens it read-write, so opening never blocks and
/// the read end never sees end-of-file between answers; each answer is one JSON line. Lines are read on a
/// dedicated thread, because reads on a FIFO block.
/// </summary>
internal sealed partial class OutputFifo : IDisposable
{
    private readonly string directory;
    private readonly FileStream stream;
    private readonly Thread reader;
    private volatile bool closing;

    private OutputFifo(string directory, string path, int maxLineChars, Action<string, long> onLine, Action onClosed)
    {
        this.directory = directory;
        Path = path;
        stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        reader = new Thread(() => ReadLines(maxLineChars, onLine, onClosed)) { IsBackground = true, Name = "fifo " + path };
        reader.Start();
    }

    public string Path { get; }

    /// <summary>
    /// Creates a FIFO in a private temporary folder and starts reading it: each line goes to <paramref name="onLine"/>
    /// with at most <paramref name="maxLineChars"/> characters kept and the UTF-8 bytes cut from it.
    /// </summary>
    public static OutputFifo Create(int maxLineChars, Action<string, long> onLine, Action onClosed)
    {
        var directory = Directory.CreateTempSubdirectory("testbench-pipe-").FullName;
        var path = System.IO.Path.Combine(directory, "algoout");
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Directory.Delete(directory, recursive: true);
            throw new IOException($"mkfifo {path} failed with errno {errno}.");
        }

        return new OutputFifo(directory, path, maxLineChars, onLine, onClosed);
    }

    public void Dispose()
    {
        // Closing a descriptor does not end a read blocked on it; an empty line wakes the reader to see the flag.
        closing = true;
        using (var wake = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            wake.Write("\n"u8);
        }

        stream.Dispose();
        reader.Join(TimeSpan.FromSeconds(2));
        Directory.Delete(directory, recursive: true);
    }

    private void ReadLines(int maxLineChars, Action<string, long> onLine, Action onClosed)
    {
        try
        {
            using var text = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
            var lines = new BoundedLineReader(text, maxLineChars);
            while (!closing && lines.ReadLine() is var (line, cut))
            {
                if ((line.Length > 0 || cut > 0) && !closing)
                {
                    onLine(line, cut);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            onClosed();
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);
}
