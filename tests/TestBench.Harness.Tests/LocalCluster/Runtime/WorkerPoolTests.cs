using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Api;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Runtime;

public sealed class WorkerPoolTests(BuiltToolbox toolbox) : IClassFixture<BuiltToolbox>
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CallAsync_ManyCalls_LoadRunsOnceInOneWarmProcess()
    {
        await using var sut = CreateSut();

        var results = new List<JsonElement>();
        for (var i = 0; i < 20; i++)
        {
            results.Add((await sut.CallAsync(Op("pid"), Timeout, CancellationToken.None)).Result!.Value);
        }

        results.Select(r => r.GetProperty("pid").GetInt32()).Distinct().Should().ContainSingle();
        results.Should().OnlyContain(r => r.GetProperty("loads").GetInt32() == 1);
    }

    [Fact]
    public async Task CallAsync_ApplyRaises_ReturnsErrorWithTypeAndStacktrace()
    {
        await using var sut = CreateSut();

        var result = await sut.CallAsync(Op("raise", "\"x\""), Timeout, CancellationToken.None);

        result.Error.Should().NotBeNull();
        result.Error!.Message.Should().Be("bad input: x");
        result.Error.ErrorType.Should().Be("InputError");
        result.Error.Stacktrace.Should().Contain("Traceback").And.Contain("toolbox.py");
    }

    [Fact]
    public async Task CallAsync_UnserializableResult_IsTheAlgorithmsError()
    {
        await using var sut = CreateSut();

        var result = await sut.CallAsync(Op("unserializable"), Timeout, CancellationToken.None);

        result.Error!.Message.Should().Contain("not JSON serializable");
        result.Error.ErrorType.Should().Be("AlgorithmError");
    }

    [Fact]
    public async Task CallAsync_WorkerKilledMidCall_FailsThatCallAndTheNextOneSucceeds()
    {
        await using var sut = CreateSut();
        var pid = await PidAsync(sut);

        var slow = sut.CallAsync(Sleep(30), Timeout, CancellationToken.None);
        await WaitUntil(() => sut.Running == 1);
        await Task.Delay(300);
        Process.GetProcessById(pid).Kill();
        var failed = await slow;
        var next = await PidAsync(sut);

        failed.Error!.ErrorType.Should().Be("SystemExit");
        failed.Error.Message.Should().Contain("exited with code");
        failed.Stdout.Should().Contain("sleeping 30");
        next.Should().NotBe(pid);
    }

    [Fact]
    public async Task CallAsync_RunnerExitsDuringCall_ReturnsItsOutput()
    {
        await using var sut = CreateSut();

        var result = await sut.CallAsync(Op("exit"), Timeout, CancellationToken.None);

        result.Error!.Message.Should().Contain("exited with code 3");
        result.Stdout.Should().Contain("about to die");
    }

    [Fact]
    public async Task CallAsync_EndlessApply_TimesOutAndTheWorkerIsReplaced()
    {
        await using var sut = CreateSut();
        var pid = await PidAsync(sut);

        var result = await sut.CallAsync(Sleep(600), TimeSpan.FromSeconds(1), CancellationToken.None);
        var next = await PidAsync(sut);

        result.Error!.ErrorType.Should().Be("TimeoutError");
        result.Error.Message.Should().Contain("timeout of 1 s");
        ProcessTable.IsAlive(pid).Should().BeFalse();
        next.Should().NotBe(pid);
    }

    [Fact]
    public async Task CallAsync_QueueFull_RejectsExactlyTheCallBeyondTheLimit()
    {
        await using var sut = CreateSut(new RuntimeOptions { MaxConcurrency = 1, MaxQueueLength = 2 });
        await sut.WarmUpAsync(CancellationToken.None);

        var admitted = Enumerable.Range(0, 3).Select(_ => sut.CallAsync(Sleep(1.5), Timeout, CancellationToken.None)).ToArray();
        await WaitUntil(() => sut.Running == 1 && sut.Queued == 2);
        var rejected = () => sut.CallAsync(Op("pid"), Timeout, CancellationToken.None);

        await rejected.Should().ThrowAsync<QueueFullException>().WithMessage("Algorithm tests/toolbox is busy: 1 calls running and 2 waiting; try again later.");
        (await Task.WhenAll(admitted)).Should().OnlyContain(r => r.Succeeded);
    }

    [Fact]
    public async Task CallAsync_PrintsDuringCall_AreCapturedApartFromTheResult()
    {
        await using var sut = CreateSut();

        var result = await sut.CallAsync(Op("print"), Timeout, CancellationToken.None);

        result.Result!.Value.GetString().Should().Be("printed");
        result.Stdout.Should().Contain("to stdout\n").And.Contain("to stderr\n");
    }

    [Fact]
    public async Task CallAsync_ServerSecrets_NeverReachTheWorker()
    {
        Environment.SetEnvironmentVariable("TESTBENCH_TEST_SECRET", "do-not-leak");
        await using var sut = CreateSut(environment: new Dictionary<string, string> { ["ALGORITHMIA_API"] = "http://127.0.0.1:1" });

        var names = (await sut.CallAsync(Op("env"), Timeout, CancellationToken.None)).Result!.Value.EnumerateArray().Select(e => e.GetString()).ToArray();

        names.Should().Contain("ALGORITHMIA_API").And.NotContain("TESTBENCH_TEST_SECRET");
        names.Should().BeSubsetOf(["PATH", "HOME", "LANG", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "ALGORITHMIA_API",
            "TESTBENCH_ALGORITHM_NAME", "TESTBENCH_PIPE_OUT", "LC_CTYPE"]);
    }

    [Fact]
    public async Task DisposeAsync_BusyWorker_LeavesNoProcessBehind()
    {
        var sut = CreateSut();
        var pid = await PidAsync(sut);
        var busy = sut.CallAsync(Sleep(600), Timeout, CancellationToken.None);
        await WaitUntil(() => sut.Running == 1);

        await sut.DisposeAsync();
        await WaitUntil(() => !ProcessTable.IsAlive(pid) || busy.IsCompleted);

        await WaitUntil(() => !ProcessTable.IsAlive(pid));
    }

    [Fact]
    public async Task IdleWorker_PastIdleTimeout_IsStopped()
    {
        var clock = new ManualTimeProvider();
        await using var sut = new WorkerPool(toolbox.Workspace.Spec(toolbox.Build), new RuntimeOptions { IdleTimeout = TimeSpan.FromMinutes(1) },
            LangServerHost.RunnerPath, clock, new RuntimeMetrics());
        var pid = await PidAsync(sut);

        clock.Advance(TimeSpan.FromSeconds(50));
        var keptWhileFresh = sut.IdleWorkerIds().ToArray();
        clock.Advance(TimeSpan.FromSeconds(20));

        keptWhileFresh.Should().Equal(pid);
        // Stopping waits (on this clock) for the runner to leave after its stdin closes; moving the clock on
        // lets the grace period end, so the test never depends on how fast a loaded machine reaps processes.
        await WaitUntil(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return sut.IdleWorkerIds().Count == 0 && !ProcessTable.IsAlive(pid);
        });
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var act = () => CreateSut(new RuntimeOptions { MaxConcurrency = 0, MaxQueueLength = -1 });

        act.Should().Throw<ArgumentException>().WithMessage("RuntimeOptions are invalid: MaxConcurrency is 0; allowed 1..64; MaxQueueLength is -1; allowed 0..100000.");
    }

    private WorkerPool CreateSut(RuntimeOptions? options = null, IReadOnlyDictionary<string, string>? environment = null) =>
        new(toolbox.Workspace.Spec(toolbox.Build, environment), options ?? new RuntimeOptions(), LangServerHost.RunnerPath, TimeProvider.System, new RuntimeMetrics());

    internal static async Task<int> PidAsync(WorkerPool pool) =>
        (await pool.CallAsync(Op("pid"), Timeout, CancellationToken.None)).Result!.Value.GetProperty("pid").GetInt32();

    private static AlgorithmInput Op(string op, string value = "null") => AlgorithmInput.ParseJson($$"""{"op":"{{op}}","value":{{value}}}""");

    private static AlgorithmInput Sleep(double seconds) =>
        AlgorithmInput.ParseJson($$"""{"op":"sleep","seconds":{{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

    internal static bool IsRunner(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("pipe.py", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        // Bounded polling for a state change in another process, not a timing assertion.
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().Should().BeTrue("the condition should hold within 10 s");
    }
}
