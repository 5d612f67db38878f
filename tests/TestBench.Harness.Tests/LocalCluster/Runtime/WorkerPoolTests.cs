using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.LangServer;
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

        var printed = Path.Combine(Path.GetTempPath(), $"testbench-slept-{Guid.NewGuid():N}");
        var slow = sut.CallAsync(Sleep(30, printed), Timeout, CancellationToken.None);
        await Eventually.HoldsAsync(() => File.Exists(printed), "the worker should have printed and started sleeping");
        File.Delete(printed);
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
        await Eventually.HoldsAsync(() => sut.Running == 1 && sut.Queued == 2);
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
    public async Task CallAsync_AlgorithmPrintsFiftyMegabytes_KeepsOneMebibyteAndStaysBounded()
    {
        await using var sut = CreateSut();
        await PidAsync(sut);
        await using var workingSet = new WorkingSetSampler();

        var result = await sut.CallAsync(AlgorithmInput.ParseJson("""{"op":"flood","mb":30,"line_mb":20}"""), Timeout, CancellationToken.None);

        result.Result!.Value.GetString().Should().Be("flooded");
        System.Text.Encoding.UTF8.GetByteCount(result.Stdout!).Should().BeLessThan(1024 * 1024 + 100);
        result.Stdout.Should().MatchRegex(@"\[… \d+ bytes truncated\]\n$");
        workingSet.Growth.Should().BeLessThan(64L * 1024 * 1024, "50 MB printed must not be held by the server (9 MB growth measured with the limit; 2.3 GB before it)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallAsync_ResultBeyondTheLimit_AnswersAnErrorNamingBothSizes_AndTheWorkerServesOn(bool printed)
    {
        await using var sut = CreateSut(new RuntimeOptions { MaxConcurrency = 1, MaxResultBytes = 1024 * 1024 });
        var pid = await PidAsync(sut);
        await using var workingSet = new WorkingSetSampler();

        var result = await sut.CallAsync(AlgorithmInput.ParseJson($$"""{"op":"big","mb":40,"print":{{(printed ? "true" : "false")}}}"""), Timeout, CancellationToken.None);
        var within = await sut.CallAsync(AlgorithmInput.ParseJson("""{"op":"big","mb":0.5}"""), Timeout, CancellationToken.None);

        result.Error!.ErrorType.Should().Be("ResultTooLarge");
        result.Error.Message.Should().Be("The result of tests/toolbox is 40 MiB; this cluster answers at most 1 MiB (cluster option --max-result-mb). Return large results through the data API instead.");
        result.Stdout.Should().Be(printed ? "about to answer big\n" : "");
        within.Result!.Value.GetString().Should().HaveLength(512 * 1024);
        (await PidAsync(sut)).Should().Be(pid, "a result too large is the call's error, not the worker's");
        workingSet.Growth.Should().BeLessThan(64L * 1024 * 1024, "a 40 MiB answer is read and dropped, not held");
    }

    [SkippableFact]
    public async Task SandboxedWorker_StartedFromAThreadThatEnds_KeepsServing()
    {
        var sandbox = (await global::TestBench.LocalCluster.Isolation.Sandbox.DetectAsync(CancellationToken.None)).Sandbox;
        Skip.If(sandbox is null, "no sandbox on this machine");
        await using var sut = new WorkerPool(toolbox.Workspace.Spec(toolbox.Build) with { Sandbox = sandbox }, new RuntimeOptions { MaxConcurrency = 1 },
            LangServerHost.RunnerPath, TimeProvider.System, new RuntimeMetrics());
        IReadOnlyList<int> warmed = [];
        // The worker is started from a thread that then ends, as thread-pool threads do when the pool shrinks; a sandbox
        // tied to its starting thread (bwrap --die-with-parent) was killed with it, mid-call (exit 137).
        var starter = new Thread(() =>
        {
            sut.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
            warmed = sut.IdleWorkerIds();
        });
        starter.Start();
        starter.Join();

        var during = await sut.CallAsync(Sleep(1), Timeout, CancellationToken.None);
        var after = await PidAsync(sut);

        during.Succeeded.Should().BeTrue(during.Error?.Message);
        warmed.Should().ContainSingle();
        ProcessTable.IsAlive(warmed[0]).Should().BeTrue("the worker outlives the thread that started it");
        after.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task CallAsync_BeyondTheMemoryLimit_SaysSoAndTheNextCallGetsAFreshWorker()
    {
        await using var sut = CreateSut(new RuntimeOptions { MaxConcurrency = 1, MaxMemoryBytes = 512L * 1024 * 1024 });
        var pid = await PidAsync(sut);

        var result = await sut.CallAsync(AlgorithmInput.ParseJson("""{"op":"hog","mb":1024}"""), Timeout, CancellationToken.None);
        var within = await sut.CallAsync(AlgorithmInput.ParseJson("""{"op":"hog","mb":64}"""), Timeout, CancellationToken.None);

        result.Error!.ErrorType.Should().Be("MemoryError");
        result.Error.Message.Should().Be("The call to tests/toolbox exceeded the memory limit of 0.5 GiB; the worker was stopped and the next call gets a fresh one.");
        within.Result!.Value.GetInt32().Should().Be(64 * 1024 * 1024);
        (await PidAsync(sut)).Should().NotBe(pid);
    }

    [Fact]
    public async Task CallAsync_ServerSecrets_NeverReachTheWorker()
    {
        var before = Environment.GetEnvironmentVariable("TESTBENCH_TEST_SECRET");
        Environment.SetEnvironmentVariable("TESTBENCH_TEST_SECRET", "do-not-leak");
        string?[] names;
        try
        {
            await using var sut = CreateSut(environment: new Dictionary<string, string> { ["ALGORITHMIA_API"] = "http://127.0.0.1:1" });
            names = (await sut.CallAsync(Op("env"), Timeout, CancellationToken.None)).Result!.Value.EnumerateArray().Select(e => e.GetString()).ToArray();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TESTBENCH_TEST_SECRET", before);
        }

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
        await Eventually.HoldsAsync(() => sut.Running == 1);

        await sut.DisposeAsync();
        await Eventually.HoldsAsync(() => !ProcessTable.IsAlive(pid) || busy.IsCompleted);

        await Eventually.HoldsAsync(() => !ProcessTable.IsAlive(pid));
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
        await Eventually.HoldsAsync(() =>
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

    /// <summary>Sleeps in the worker; <paramref name="printedMarker"/>, when given, is created once "sleeping" is printed.</summary>
    private static AlgorithmInput Sleep(double seconds, string? printedMarker = null) =>
        AlgorithmInput.ParseJson($$"""{"op":"sleep","seconds":{{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{(printedMarker is null ? "" : $",\"marker\":\"{printedMarker}\"")}}}""");

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
}
