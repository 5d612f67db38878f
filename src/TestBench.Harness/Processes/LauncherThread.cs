using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace TestBench.Harness.Processes;

/// <summary>
/// The one thread every child process is started from, alive as long as this process. On Linux a child's
/// parent-death signal (<c>PR_SET_PDEATHSIG</c>, e.g. bubblewrap's <c>--die-with-parent</c>) fires when the
/// <em>thread</em> that forked it ends; .NET forks on the calling thread, and thread-pool threads end whenever the pool
/// shrinks — children started from them were killed (exit 137) in mid-call. Started from here, they die only with us.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<Request> Requests = [];

    static LauncherThread()
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "TestBench process launcher" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the launcher thread and waits for it; its exception is rethrown here.</summary>
    public static void Run(Action start)
    {
        using var request = new Request(start);
        Requests.Add(request);
        request.Done.Wait();
        request.Failure?.Throw();
    }

    private static void Serve()
    {
        foreach (var request in Requests.GetConsumingEnumerable())
        {
            try
            {
                request.Start();
            }
#pragma warning disable CA1031 // Handed back to the caller, who rethrows it on its own thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                request.Failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                request.Done.Set();
            }
        }
    }

    private sealed class Request(Action start) : IDisposable
    {
        public Action Start { get; } = start;

        public ManualResetEventSlim Done { get; } = new();

        public ExceptionDispatchInfo? Failure { get; set; }

        public void Dispose() => Done.Dispose();
    }
}
