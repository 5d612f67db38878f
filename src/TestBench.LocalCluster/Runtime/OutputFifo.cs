using System.Runtime.InteropServices;
using System.Text;
using TestBench.Harness.Processes;

namespace TestBench.LocalCluster.Runtime;

/// <summary>
/// The named FIFO a runner writes its answers to. The server makes it in a folder of its own and opens it once,
/// read-write, before the runner starts, so opening never blocks and the read end never sees end-of-file between
/// answers; the runner sees it read-only mounted, so it cannot replace it. Each answer is one JSON line. Lines are
/// read on a dedicated thread, because reads on a FIFO block.
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
        // The line goes through the server's own read-write descriptor: the path is never opened again, so a runner that
        // replaced it (with a link to a host file or to another FIFO) cannot make the server write or block there.
        closing = true;
        try
        {
            stream.Write("\n"u8);
        }
        catch (IOException)
        {
            // The pipe is full of an answer nobody will read; the reader is told by the flag and the disposal below.
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
