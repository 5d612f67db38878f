using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Wallaroo;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Wallaroo;

/// <summary>The embedded orchestration service's routes, on a real server on 127.0.0.1 with real task-run processes.
/// A schedule minute lasts 2 s here, so cron schedules tick within a test.</summary>
public sealed partial class WallarooApiTests(WallarooApiTests.Service service) : IClassFixture<WallarooApiTests.Service>
{
    private const string Echo = """
        import json, sys, wallaroo
        args = wallaroo.task_args()
        print("in task:", wallaroo.in_task(), wallaroo.Client().in_task())
        print("TESTBENCH_RESULT " + json.dumps({"echo": args.get("input")}))
        sys.exit(int(args.get("exit", 0)))
        """;

    [Fact]
    public async Task Upload_RunOnce_RunsMainPyWithTheArguments_AndLogsInTheCriFormat()
    {
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", Echo), ("requirements.txt", "")), "echo");
        var task = await service.PostAsync("task/run_once", new JsonObject { ["name"] = "once", ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject { ["input"] = "hi" }, ["timeout"] = 60 });
        var run = await service.WaitForRunAsync(task["id"]!.ToString(), "success");
        var logs = (await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() }))["logs"]!.AsArray().Select(l => l!.ToString()).ToArray();
        var details = await service.PostAsync("orchestration/get_by_id", new JsonObject { ["id"] = orchestration });
        var byId = await service.PostAsync("task/get_by_id", new JsonObject { ["id"] = task["id"]!.ToString() });
        var bySha = await service.PostAsync("task/get_tasks_by_orch_sha", new JsonObject { ["sha"] = details["sha"]!.ToString() });
        var tail = await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString(), ["lines"] = 1 });

        details["status"]!.ToString().Should().Be("ready");
        details["sha"]!.ToString().Should().MatchRegex("^[0-9a-f]{64}$");
        logs.Should().Contain(l => CriLine().IsMatch(l) && l.EndsWith(" stdout F TESTBENCH_RESULT {\"echo\": \"hi\"}", StringComparison.Ordinal));
        logs.Should().Contain(l => l.EndsWith(" stdout F in task: True True", StringComparison.Ordinal));
        tail["logs"]!.AsArray().Should().ContainSingle();
        byId["flavor"]!.ToString().Should().Be("exec_orch_oneshot");
        byId["input_data"]!.ToJsonString().Should().Be("""{"input":"hi"}""");
        byId["last_runs"]!.AsArray().Should().ContainSingle().Which!["status"]!.ToString().Should().Be("success");
        bySha["ids"]!.AsArray().Select(i => i!.ToString()).Should().Contain(task["id"]!.ToString());
    }

    [Fact]
    public async Task Objects_HaveTheTutorialsKeys_RunOnceNeedsNoName_AndTimestampsHaveSixFractionDigits()
    {
        // WallarooLabs/Wallaroo_Tutorials, orchestration API tutorial: the orchestration and task objects it prints.
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", Echo)), "keys");
        var once = await service.PostAsync("task/run_once", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject() });
        var scheduled = await service.PostAsync("task/run_scheduled", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["schedule"] = "*/1 * * * *", ["json"] = new JsonObject() });
        var onceTask = await service.PostAsync("task/get_by_id", new JsonObject { ["id"] = once["id"]!.ToString() });
        var scheduledTask = await service.PostAsync("task/get_by_id", new JsonObject { ["id"] = scheduled["id"]!.ToString() });
        await service.PostAsync("task/kill", new JsonObject { ["id"] = scheduled["id"]!.ToString() });
        var details = await service.PostAsync("orchestration/get_by_id", new JsonObject { ["id"] = orchestration });

        string[] common = ["id", "name", "image", "image_tag", "arch", "bind_secrets", "extra_env_vars", "auth_init", "workspace_id", "reap_threshold_secs", "status", "input_data", "killed", "created_at", "updated_at", "last_runs"];
        onceTask.Select(p => p.Key).Should().Contain(common).And.Contain(["flavor", "exec_type"]);
        scheduledTask.Select(p => p.Key).Should().Contain(common).And.Contain(["run_type", "schedule"]).And.NotContain("flavor");
        scheduledTask["run_type"]!.ToString().Should().Be("CronJob");
        onceTask["name"].Should().BeNull("run_once takes no name here, as the guide's calls send none");
        onceTask["extra_env_vars"]!.AsObject().Select(p => p.Key).Should().Contain(["ORCH_SHA", "TASK_ID", "ORCH_OWNER_ID"]);
        onceTask["extra_env_vars"]!["TASK_ID"]!.ToString().Should().Be(once["id"]!.ToString());
        details.Select(p => p.Key).Should().Contain(["image_path", "created_on_version"]);
        foreach (var stamp in new[] { onceTask["created_at"], onceTask["updated_at"], details["created_at"], details["updated_at"] })
        {
            stamp!.ToString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$");
        }
    }

    [Fact]
    public async Task InTaskModule_HasTheSdksNames_AndSaysWhatItDoesNotEmulate()
    {
        const string code = """
            import os, wallaroo
            from wallaroo.object import EntityNotFoundError
            print("version", wallaroo.__version__)
            print("env", os.environ["ORCH_SHA"] == os.environ.get("ORCH_SHA") != None, os.environ["TASK_ID"])
            for call in (lambda: wallaroo.Client().get_pipeline("p"), lambda: wallaroo.Client().auth.auth_header(), lambda: wallaroo.deploy):
                try:
                    call()
                except wallaroo.NotEmulatedError as e:
                    print("not emulated:", e.call)
            print("TESTBENCH_RESULT", issubclass(EntityNotFoundError, Exception))
            """;
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", code)), "sdk");
        var task = await service.PostAsync("task/run_once", new JsonObject { ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject() });
        var run = await service.WaitForRunAsync(task["id"]!.ToString(), "success");
        var logs = string.Join('\n', (await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() }))["logs"]!.AsArray().Select(l => l!.ToString()));

        logs.Should().Contain("stdout F version 2024.1.0+testbench").And.Contain($"stdout F env True {task["id"]}")
            .And.Contain("not emulated: wallaroo.Client().get_pipeline").And.Contain("not emulated: wallaroo.Client().auth.auth_header()")
            .And.Contain("not emulated: wallaroo.deploy").And.Contain("TESTBENCH_RESULT True");
    }

    [Fact]
    public async Task RunOnce_FailingMainPy_IsAFailedRun_AndATimeoutStopsTheRunSayingSo()
    {
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", "import time, wallaroo\ntime.sleep(float(wallaroo.task_args().get('sleep', 0)))\n" + Echo)), "fails");

        var failing = await service.PostAsync("task/run_once", new JsonObject { ["name"] = "exit 3", ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject { ["exit"] = 3 } });
        var slow = await service.PostAsync("task/run_once", new JsonObject { ["name"] = "sleeps", ["workspace_id"] = 1, ["orch_id"] = orchestration, ["json"] = new JsonObject { ["sleep"] = 30 }, ["timeout"] = 1 });
        await service.WaitForRunAsync(failing["id"]!.ToString(), "failure");
        var timedOut = await service.WaitForRunAsync(slow["id"]!.ToString(), "failure");
        var logs = await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = timedOut["run_id"]!.ToString() });

        logs["logs"]!.AsArray().Select(l => l!.ToString()).Should().Contain(l => l.EndsWith("stderr F [run stopped: it exceeded the task's timeout of 1 s]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ZipRules_NoMainPy_TwoRequirements_AreRefused_AndAMainPyInASubfolderIsTheEntrypoint()
    {
        var none = await service.UploadAsync(Zip(("src/app.py", "print(1)")));
        var two = await service.UploadAsync(Zip(("main.py", Echo), ("requirements.txt", ""), ("lib/requirements.txt", "")));
        var climbing = await service.UploadAsync(Zip(("../main.py", Echo)));
        var nested = await service.UploadReadyAsync(Zip(("job/main.py", "import helper\nhelper.hello()\n"), ("job/helper.py", "def hello():\n    print('TESTBENCH_RESULT \"nested\"')\n")), "nested");
        var task = await service.PostAsync("task/run_once", new JsonObject { ["name"] = "nested", ["workspace_id"] = 1, ["orch_id"] = nested });
        var run = await service.WaitForRunAsync(task["id"]!.ToString(), "success");
        var logs = await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = run["run_id"]!.ToString() });

        none.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await none.Content.ReadAsStringAsync()).Should().Contain("file: the archive has no main.py");
        (await two.Content.ReadAsStringAsync()).Should().Contain("2 requirements.txt files (requirements.txt, lib/requirements.txt); at most one is allowed");
        (await climbing.Content.ReadAsStringAsync()).Should().Contain("entry '../main.py' climbs out of the archive");
        logs["logs"]!.AsArray().Select(l => l!.ToString()).Should().Contain(l => l.EndsWith("stdout F TESTBENCH_RESULT \"nested\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scheduled_RunsAtEveryTick_AndKillStopsRunsAndSchedule_AndDeletesTheLogs()
    {
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", Echo)), "ticks");
        var task = await service.PostAsync("task/run_scheduled", new JsonObject { ["name"] = "every minute", ["workspace_id"] = 1, ["orch_id"] = orchestration, ["schedule"] = "*/1 * * * *", ["json"] = new JsonObject { ["input"] = 1 } });
        var id = task["id"]!.ToString();

        var runs = await service.WaitForRunsAsync(id, 2);
        var killed = await service.PostAsync("task/kill", new JsonObject { ["id"] = id });
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        var after = await service.ListRunsAsync(id);
        var logs = await service.PostAsync("task/get_logs_for_run", new JsonObject { ["id"] = runs[0]["run_id"]!.ToString() });
        var later = await service.PostAsync("task/get_by_id", new JsonObject { ["id"] = id });

        killed["status"]!.ToString().Should().Be("pending_kill");
        killed["killed"]!.GetValue<bool>().Should().BeFalse("Wallaroo answers before the flag is set");
        later["killed"]!.GetValue<bool>().Should().BeTrue();
        later["schedule"]!.ToString().Should().Be("*/1 * * * *");
        after.Count.Should().BeLessThanOrEqualTo(runs.Count + 1, "a run may have started at the tick before the kill, none after");
        logs["logs"]!.AsArray().Should().BeEmpty("kill deletes the logs of the task's runs");
    }

    [Fact]
    public async Task Continuous_StartsTheNextRunAfterEachEnds_UntilKilled()
    {
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", Echo)), "loop");
        var task = await service.PostAsync("task/run_continuously", new JsonObject { ["name"] = "loop", ["workspace_id"] = 1, ["orch_id"] = orchestration });

        var runs = await service.WaitForRunsAsync(task["id"]!.ToString(), 2);
        await service.PostAsync("task/kill", new JsonObject { ["id"] = task["id"]!.ToString() });

        runs.Should().HaveCountGreaterThanOrEqualTo(2);
    }

    [Theory]
    [InlineData("task/run_scheduled", """{"workspace_id": 1, "orch_id": "ORCH", "schedule": "0 */1 * * * *"}""", "schedule: '0 */1 * * * *' has 6 fields; a schedule has 5")]
    [InlineData("task/run_scheduled", """{"workspace_id": 1, "orch_id": "ORCH", "schedule": "61 * * * *"}""", "schedule: '61 * * * *' is not a valid cron schedule")]
    [InlineData("task/run_scheduled", """{"workspace_id": 1, "orch_id": "ORCH", "schedule": "*/0 * * * *"}""", "schedule: '*/0 * * * *' steps by 0 in its minute field")]
    [InlineData("task/run_once", """{"name": "x", "workspace_id": "one", "orch_id": "ORCH"}""", "workspace_id: must be a whole number")]
    [InlineData("task/run_once", """{"name": "x", "workspace_id": 1, "orch_id": "nope"}""", "orch_id: no orchestration nope")]
    [InlineData("task/run_once", """{"name": "x", "workspace_id": 1, "orch_id": "ORCH", "json": [1]}""", "json: the task's arguments must be a JSON object")]
    [InlineData("task/run_once", """{"name": "x", "workspace_id": 1, "orch_id": "ORCH", "timeout": 0}""", "timeout: 0 is not a positive number of seconds")]
    [InlineData("task/list_task_runs", """{"task_id": "nope"}""", "no task with id nope")]
    public async Task BadRequests_AreErrorsInOneShape_NamingTheField(string route, string body, string message)
    {
        var orchestration = await service.UploadReadyAsync(Zip(("main.py", Echo)), "shape");

        using var response = await service.Http.PostAsync($"v1/api/{route}", new StringContent(body.Replace("ORCH", orchestration, StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();

        ((int)response.StatusCode).Should().Be(error!["code"]!.GetValue<int>()).And.BeOneOf(400, 404);
        error["status"]!.ToString().Should().Be("error");
        error["error"]!.ToString().Should().Contain(message);
    }

    [Fact]
    public async Task WithoutTheToken_Every_Route_Is401()
    {
        using var anonymous = new HttpClient { BaseAddress = service.Host.Address };

        using var response = await anonymous.PostAsync("v1/api/task/list", new StringContent("{\"workspace_id\": 1}", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    internal static byte[] Zip(params (string Path, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) F ")]
    private static partial Regex CriLine();

    /// <summary>A real embedded service (in process) whose schedule minute lasts 2 s.</summary>
    public sealed class Service : WallarooTestApi, IAsyncLifetime
    {
        private readonly string root = Directory.CreateTempSubdirectory("testbench-wallaroo-").FullName;

        public WallarooHost Host { get; private set; } = null!;

        /// <summary>The server's data: orchestrations, their environments, runs.</summary>
        public string DataDirectory => Path.Combine(root, "data");


        public async Task InitializeAsync()
        {
            Host = await WallarooHost.StartAsync(new WallarooOptions { DataDirectory = Path.Combine(root, "data"), Python = AlgorithmWorkspace.Python, ScheduleMinute = TimeSpan.FromSeconds(2), ContinuousPause = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
            Http = new HttpClient { BaseAddress = Host.Address };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Host.Token);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }
}
