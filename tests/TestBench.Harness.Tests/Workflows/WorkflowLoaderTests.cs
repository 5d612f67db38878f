using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Workflows;

public sealed class WorkflowLoaderTests : IDisposable
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "TestData", "InvalidWorkflows");
    private static readonly string OriginalsDirectory = Path.Combine(AppContext.BaseDirectory, "TestData", "OriginalWorkflows");

    private readonly TempRepository repository = new TempRepository()
        .WithTemplate("hello_world")
        .WithTemplate("SmartImageDownloader")
        .WithTemplate("BoundingBoxOnImage")
        .WithTemplate("DeepFashion")
        .WithTemplate("ParallelPipelining");

    public void Dispose() => repository.Dispose();

    // Each corpus file has exactly one problem; the row names the JSON path and a fragment of the reason.
    public static TheoryData<string, string, string> InvalidCorpus => new()
    {
        { "malformed_trailing_comma", "$", "malformed JSON at line 3, position 1" },
        { "malformed_unterminated_string", "$", "malformed JSON at line 3, position 26: '0x0A' is invalid within a JSON string" },
        { "malformed_empty", "$", "malformed JSON at line 1, position 1: The input does not contain any JSON tokens" },
        { "top_level_array", "$", "must be an object, but is an array" },
        { "missing_algorithms", "$", "required field 'algorithms' is missing" },
        { "algorithms_not_array", "$.algorithms", "must be an array, but is an object" },
        { "algorithms_empty", "$.algorithms", "must list at least one algorithm" },
        { "algorithm_not_object", "$.algorithms[0]", "must be an object, but is a string" },
        { "algorithm_missing_name", "$.algorithms[0]", "required field 'name' is missing" },
        { "algorithm_name_empty", "$.algorithms[0].name", "must not be empty" },
        { "algorithm_name_starts_with_digit", "$.algorithms[0].name", "algorithm name '1hello' must start with a letter" },
        { "algorithm_name_with_dash", "$.algorithms[0].name", "'algo-simulator' must start with a letter and contain only letters, digits and underscores" },
        { "algorithm_missing_environment", "$.algorithms[0]", "one of 'language', 'environment' or 'environment_name' is required" },
        { "algorithm_missing_test_payload", "$.algorithms[0]", "required field 'test_payload' is missing" },
        { "algorithm_unknown_field", "$.algorithms[0].data_file", "unknown field 'data_file' (known fields: name, code_path, code, language, environment, environment_name, data_files, test_payload); did you mean 'data_files'?" },
        { "data_file_not_data_uri", "$.algorithms[0].data_files[0]", "'s3://bucket/model.bin' is not a data:// URI" },
        { "data_file_not_string", "$.algorithms[0].data_files[1]", "must be a data:// URI string, but is a number" },
        { "data_file_duplicate_name", "$.algorithms[0].data_files[1]", "file name 'model.json' is also used by data_files[0]" },
        { "data_file_dot_segment", "$.algorithms[0].data_files[0]", "must not contain '.' or '..' segments" },
        { "data_file_no_file", "$.algorithms[0].data_files[0]", "must have the form data://<owner>/<collection>/<file>" },
        { "code_path_not_data_uri", "$.algorithms[0].code_path", "is not a data:// URI" },
        { "code_and_code_path", "$.algorithms[0].code", "give either 'code_path' or its alias 'code', not both" },
        { "duplicate_algorithm_names", "$.algorithms[1].name", "duplicate algorithm name 'hello_world' (first used at $.algorithms[0])" },
        { "duplicate_test_names", "$.test_info.tests[1].name", "duplicate test name 't1' (first used at $.test_info.tests[0])" },
        { "entrypoint_not_found", "$.test_info.entrypoint", "entrypoint 'goodbye' is not among the algorithms (hello_world)" },
        { "missing_entrypoint", "$.test_info", "required field 'entrypoint' is missing" },
        { "tests_not_array", "$.test_info.tests", "must be an array, but is a string" },
        { "test_missing_name", "$.test_info.tests[0]", "required field 'name' is missing" },
        { "test_missing_payload", "$.test_info.tests[0]", "required field 'payload' is missing" },
        { "test_unknown_field", "$.test_info.tests[0].timout", "did you mean 'timeout'?" },
        { "timeout_zero", "$.test_info.tests[0].timeout", "timeout 0 s is outside 1..3000 seconds" },
        { "timeout_too_large", "$.test_info.tests[0].timeout", "timeout 3001 s is outside 1..3000 seconds" },
        { "timeout_fraction", "$.test_info.tests[0].timeout", "must be a whole number, but is the number 2.5" },
        { "timeout_string", "$.test_info.tests[0].timeout", "must be a whole number, but is a string" },
        { "missing_template", "$.algorithms[0]", "algorithm 'no_such_template' has no code_path and its template algorithms/no_such_template/src/no_such_template.py (or a Racetrack job's algorithms/no_such_template/job.yaml, or a Wallaroo orchestration's algorithms/no_such_template/main.py) does not exist" },
        { "cluster_address_not_url", "$.source_info.cluster_address", "'api.algorithmia.com' is not an absolute http(s) address" },
        { "source_info_not_object", "$.source_info", "must be an object, but is a string" },
        { "run_only_string", "$.run_only", "must be true or false, but is a string" },
        { "unknown_top_level_field", "$.test_infos", "did you mean 'test_info'?" },
        { "duplicate_property", "$.run_only", "field 'run_only' appears more than once" },
        { "repeat_zero", "$.test_info.tests[0].repeat", "repeat 0 is outside 1..100000" },
        { "concurrency_too_large", "$.test_info.tests[0].concurrency", "concurrency 65 is outside 1..64" },
        { "warmup_negative", "$.test_info.tests[0].warmup", "warmup -1 is outside 0..10000" },
        { "trials_zero", "$.test_info.tests[0].trials", "trials 0 is outside 1..1000" },
        { "rate_with_repeat", "$.test_info.tests[0].repeat", "repeat belongs to the closed model; an open-model test ('rate'/'duration' or 'stages') cannot have it" },
        { "rate_without_duration", "$.test_info.tests[0].duration", "an open-model test needs both 'rate' and 'duration'; 'duration' is missing" },
        { "rate_zero", "$.test_info.tests[0].rate", "rate 0 calls/s is outside (0, 100000]" },
        { "rate_string", "$.test_info.tests[0].rate", "must be a number, but is a string" },
        { "duration_too_long", "$.test_info.tests[0].duration", "duration 4000 s is outside (0, 3600]" },
        { "open_load_too_many_calls", "$.test_info.tests[0].rate", "schedules 3600000 calls (1000 calls/s for 3600 s); at most 1000000 per test" },
        { "stages_and_rate", "$.test_info.tests[0].rate", "give either 'rate' and 'duration' (one constant stage) or 'stages', not both" },
        { "stages_empty", "$.test_info.tests[0].stages", "must list 1..100 stages, but lists 0" },
        { "stage_missing_duration", "$.test_info.tests[0].stages[1].duration", "'duration' is required" },
        { "stage_unknown_field", "$.test_info.tests[0].stages[0].ramp", "unknown field 'ramp' (known fields: rate, duration)" },
        { "max_in_flight_without_rate", "$.test_info.tests[0].max_in_flight", "max_in_flight applies to an open-model test: give 'rate' and 'duration', or 'stages'" },
        { "max_in_flight_zero", "$.test_info.tests[0].max_in_flight", "max_in_flight 0 is outside 1..10000" },
        { "schedule_six_fields", "$.test_info.tests[0].schedule", "'0 */1 * * * *' has 6 fields; a schedule has 5: minute hour day-of-month month day-of-week" },
        { "schedule_bad_field", "$.test_info.tests[0].schedule", "'*/1 25 * * *' is not a valid cron schedule" },
        { "async_not_boolean", "$.test_info.tests[0].async", "must be true or false, but is a string" },
        { "compare_threshold_too_wide", "$.test_info.tests[0].compare.threshold", "threshold 0.6 is a relative change: use a fraction above 0 and below 0.5" },
        { "compare_unknown_field", "$.test_info.tests[0].compare.treshold", "unknown field 'treshold'" },
        { "compare_budget_too_short", "$.test_info.tests[0].compare.budget_seconds", "budget_seconds 5 is outside 10..3600" },
        { "compare_not_object", "$.test_info.tests[0].compare", "must be an object, but is a number" },
        { "compare_instance_spread_negative", "$.test_info.tests[0].compare.instance_spread", "instance_spread -0.1 is the sd of a log ratio: use 0 or more" },
        { "async_with_schedule", "$.test_info.tests[0].async", "async makes a test's calls asynchronous; a scheduled test ('schedule') has runs, not calls, and cannot have it" },
        { "schedule_step_zero", "$.test_info.tests[0].schedule", "'*/0 * * * *' steps by 0 in its minute field; Kubernetes refuses a step that is not positive" },
        { "schedule_with_repeat", "$.test_info.tests[0].repeat", "repeat shapes a load of calls; a scheduled test ('schedule') measures the task's runs instead and cannot have it" },
        { "runs_without_schedule", "$.test_info.tests[0].runs", "runs counts the runs of a scheduled test: give 'schedule' too" },
        { "runs_too_many", "$.test_info.tests[0].runs", "runs 61 is outside 1..60" },
        { "expect_exact_and_subset", "$.test_info.tests[0].expect", "give exactly one of 'exact' or 'subset' (or the string \"snapshot\")" },
    };

    [Theory]
    [MemberData(nameof(InvalidCorpus))]
    public void Load_InvalidFile_ReportsFilePathAndReason(string name, string jsonPath, string reason)
    {
        var path = repository.WithWorkflowFile(Path.Combine(CorpusDirectory, name + ".json"));

        var result = CreateSut().Load(path);

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().Match<WorkflowError>(e =>
            e.File == $"workflows/{name}.json" && e.JsonPath == jsonPath && e.Message.Contains(reason));
        result.DescribeErrors().Should().Contain($"workflows/{name}.json: {jsonPath}: ");
    }

    [Fact]
    public void InvalidCorpus_CoversEveryFileInTheFolder()
    {
        var files = Directory.GetFiles(CorpusDirectory, "*.json").Select(Path.GetFileNameWithoutExtension);

        files.Should().BeEquivalentTo(InvalidCorpus.Select(row => (string)row[0]));
        files.Should().HaveCountGreaterThanOrEqualTo(25);
    }

    [Theory]
    [InlineData("hello.json")]
    [InlineData("image_benchmark.json")]
    [InlineData("hello_world_readme_variant.json")]
    public void Load_OriginalToolExample_LoadsUnchanged(string file)
    {
        var path = repository.WithWorkflowFile(Path.Combine(OriginalsDirectory, file));

        var result = CreateSut().Load(path);

        result.Errors.Should().BeEmpty();
        result.Workflow!.Name.Should().Be(Path.GetFileNameWithoutExtension(file));
    }

    [Fact]
    public void ShippedWorkflows_AllLoadAndValidate()
    {
        var layout = Harness.Configuration.RepositoryLayout.Locate(AppContext.BaseDirectory, _ => null);
        var files = WorkflowCatalog.Find(layout.WorkflowsDirectory);

        var results = files.Select(new WorkflowLoader(layout.Root).Load).ToArray();

        files.Select(Path.GetFileNameWithoutExtension).Should().Contain(["hello_world", "image_benchmark", "image_processing", "hello_packed"]);
        results.SelectMany(r => r.Errors).Should().BeEmpty();
    }

    [Fact]
    public void Load_ImageBenchmark_ReadsEveryField()
    {
        var path = repository.WithWorkflowFile(Path.Combine(OriginalsDirectory, "image_benchmark.json"));

        var workflow = CreateSut().LoadValid(path);

        workflow.SourceClusterAddress.Should().Be(Workflow.DefaultSourceClusterAddress);
        workflow.RunOnly.Should().BeTrue();
        workflow.Algorithms.Select(a => a.Name).Should().Equal("SmartImageDownloader", "BoundingBoxOnImage", "DeepFashion", "ParallelPipelining");
        workflow.Algorithms[0].Environment.Language.Should().Be("python2");
        workflow.Algorithms[2].DataFiles.Should().HaveCount(4);
        workflow.Algorithms[1].TestPayload.GetProperty("boundingBoxes")[0].GetProperty("coordinates").GetProperty("right").GetInt32().Should().Be(330);
        workflow.Entrypoint!.Name.Should().Be("ParallelPipelining");
        workflow.TestInfo!.Tests.Select(t => (t.Name, t.TimeoutSeconds)).Should().Equal(("10 calls in 60 sec", 60), ("100 calls in 5 min", 300));
    }

    [Fact]
    public void Load_TestWithoutTimeout_UsesPlatformDefault()
    {
        var path = repository.WithWorkflow("defaults", new WorkflowJsonBuilder().WithAlgorithm("hello_world").WithEntrypoint("hello_world").WithTest("t").Build());

        var workflow = CreateSut().LoadValid(path);

        workflow.TestInfo!.Tests[0].TimeoutSeconds.Should().Be(WorkflowTest.DefaultTimeoutSeconds);
        (workflow.TestInfo.Tests[0].Repeat, workflow.TestInfo.Tests[0].Concurrency, workflow.TestInfo.Tests[0].Warmup).Should().Be((1, 1, 0));
        workflow.RunOnly.Should().BeFalse();
    }

    [Fact]
    public void Load_LoadShapedTest_ReadsRepeatConcurrencyAndWarmup()
    {
        var path = repository.WithWorkflow("load", """
            { "test_info": { "entrypoint": "hello_world", "tests": [ { "name": "burst", "payload": 1, "repeat": 200, "concurrency": 8, "warmup": 5 } ] },
              "algorithms": [ { "name": "hello_world", "language": "python3", "test_payload": 1 } ] }
            """);

        var test = CreateSut().LoadValid(path).TestInfo!.Tests[0];

        (test.Repeat, test.Concurrency, test.Warmup).Should().Be((200, 8, 5));
    }

    [Fact]
    public void Load_OpenModelTests_ReadsRateDurationStagesAndCap()
    {
        var path = repository.WithWorkflow("open", """
            { "test_info": { "entrypoint": "hello_world", "tests": [
                { "name": "steady", "payload": 1, "rate": 250, "duration": 2.5 },
                { "name": "ramp", "payload": 1, "stages": [ { "rate": 10, "duration": 5 }, { "rate": 100, "duration": 10 } ], "max_in_flight": 50 },
                { "name": "closed", "payload": 1, "repeat": 20 } ] },
              "algorithms": [ { "name": "hello_world", "language": "python3", "test_payload": 1 } ] }
            """);

        var tests = CreateSut().LoadValid(path).TestInfo!.Tests;

        tests[0].OpenLoad.Should().BeEquivalentTo(new OpenLoad { Stages = [new LoadStage(250, 2.5)] });
        tests[0].OpenLoad!.Describe().Should().Be("250 calls/s for 2.5 s");
        tests[1].OpenLoad.Should().BeEquivalentTo(new OpenLoad { Stages = [new LoadStage(10, 5), new LoadStage(100, 10)], MaxInFlight = 50 });
        tests[1].OpenLoad!.Describe().Should().Be("2 stages over 15 s (10/s → 100/s)");
        tests[2].OpenLoad.Should().BeNull();
    }

    [Fact]
    public void Load_ScheduledTests_ReadScheduleAndRuns_ThreeRunsByDefault()
    {
        var path = repository.WithWorkflow("cron", """
            { "test_info": { "entrypoint": "hello_world", "tests": [
                { "name": "every minute", "payload": 1, "schedule": "*/1 * * * *", "runs": 5 },
                { "name": "hourly", "payload": 1, "schedule": "42 * * * *" },
                { "name": "calls", "payload": 1 } ] },
              "algorithms": [ { "name": "hello_world", "language": "python3", "test_payload": 1 } ] }
            """);

        var tests = CreateSut().LoadValid(path).TestInfo!.Tests;

        (tests[0].Schedule!.Cron.Text, tests[0].Schedule!.Runs).Should().Be(("*/1 * * * *", 5));
        (tests[1].Schedule!.Cron.Text, tests[1].Schedule!.Runs).Should().Be(("42 * * * *", ScheduledRuns.DefaultRuns));
        tests[2].Schedule.Should().BeNull();
        TrialPlan.For(tests[0], TimeSpan.FromSeconds(30), 20).Fixed.Should().Be(5, "a scheduled test's trials are its runs");
    }

    [Fact]
    public void Load_CompareField_GivesATestItsOwnThresholdAlphaAndBudget_AndTheRunKeepsWhatItLeavesOut()
    {
        var path = repository.WithWorkflow("compare", """
            { "test_info": { "entrypoint": "hello_world", "tests": [
                { "name": "scattered", "payload": 1, "compare": { "threshold": 0.15, "alpha": 0.05, "budget_seconds": 60, "instance_spread": 0.07 } },
                { "name": "wider only", "payload": 1, "compare": { "threshold": 0.1 } },
                { "name": "plain", "payload": 1 } ] },
              "algorithms": [ { "name": "hello_world", "language": "python3", "test_payload": 1 } ] }
            """);
        var run = new ComparisonSettings { Kind = TargetKind.Local, Policy = new ComparisonPolicy { Threshold = 0.05, Alpha = 0.01, InstanceSpread = 0.025 } };

        var tests = CreateSut().LoadValid(path).TestInfo!.Tests;

        tests[0].Compare.Should().Be(new TestComparisonOptions { Threshold = 0.15, Alpha = 0.05, BudgetSeconds = 60, InstanceSpread = 0.07 });
        var (policy, budget) = run.JudgingOf(tests[0].Compare);
        (policy.Threshold, policy.Alpha, policy.InstanceSpread, budget.MaxDuration).Should().Be((0.15, 0.05, 0.07, TimeSpan.FromMinutes(1)));
        var realClusters = run with { Policy = run.Policy with { InstanceSpread = 0 } };
        realClusters.JudgingOf(tests[0].Compare).Policy.InstanceSpread.Should().Be(0, "between configured clusters the instance difference is the answer");
        (policy, budget) = run.JudgingOf(tests[1].Compare);
        (policy.Threshold, policy.Alpha, policy.InstanceSpread, budget.MaxDuration).Should().Be((0.1, 0.01, 0.025, run.Budget.MaxDuration));
        tests[2].Compare.Should().BeNull();
        run.JudgingOf(tests[2].Compare).Should().Be((run.Policy, run.Budget));
    }

    [Fact]
    public void CronSchedule_Ticks_RunFasterOnAShorterMinute_FromTheScheduleStart()
    {
        var origin = new DateTimeOffset(2026, 12, 3, 10, 0, 30, TimeSpan.Zero);

        var realTime = CronSchedule.Parse("*/1 * * * *").Ticks(origin, TimeSpan.FromMinutes(1)).Take(2);
        var fast = CronSchedule.Parse("*/1 * * * *").Ticks(origin, TimeSpan.FromSeconds(2)).Take(2);

        realTime.Should().Equal(origin.AddSeconds(30), origin.AddSeconds(90));
        // 30 s of schedule time to the next minute last 1 s when a minute lasts 2 s.
        fast.Should().Equal(origin.AddSeconds(1), origin.AddSeconds(3));
    }

    [Fact]
    public void Load_SeveralProblems_ReportsEachOne()
    {
        var path = repository.WithWorkflow("many", """
            { "algorithms": [ { "name": "9lives", "language": "python3", "test_payload": 1, "data_files": ["ftp://x/y"] } ],
              "run_only": 1 }
            """);

        var result = CreateSut().Load(path);

        result.Errors.Select(e => e.JsonPath).Should().Equal("$.algorithms[0].name", "$.algorithms[0].data_files[0]", "$.run_only");
    }

    [Fact]
    public void Load_MissingFile_ReportsThatItCannotBeRead()
    {
        var result = CreateSut().Load(Path.Combine(repository.WorkflowsDirectory, "absent.json"));

        result.Errors.Should().ContainSingle().Which.Message.Should().StartWith("cannot read the file:");
    }

    [Fact]
    public void LoadValid_InvalidFile_ThrowsWithEveryProblem()
    {
        var path = repository.WithWorkflowFile(Path.Combine(CorpusDirectory, "timeout_zero.json"));

        var act = () => CreateSut().LoadValid(path);

        act.Should().Throw<WorkflowException>()
            .Where(e => e.File == "workflows/timeout_zero.json" && e.Errors.Count == 1)
            .WithMessage("Workflow file workflows/timeout_zero.json is invalid (1 problem):*$.test_info.tests[0].timeout: timeout 0 s*");
    }

    private WorkflowLoader CreateSut() => new(repository.Root);
}
