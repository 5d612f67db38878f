using System.Text.Json;

namespace TestBench.Harness.Workflows;

/// <summary>
/// Turns a parsed workflow document into a <see cref="Workflow"/>, checking every field's presence, type and
/// range. Rules that relate several fields live in <see cref="WorkflowValidator"/>.
/// </summary>
/// <remarks>
/// Hand-written on purpose, not <c>JsonSerializer</c> with a contract: a serializer stops at the first bad field,
/// while a workflow author wants every problem of the file at once, each named by its JSON path.
/// </remarks>
internal static class WorkflowReader
{
    private static readonly string[] TopLevelFields = ["$schema", "source_info", "test_info", "algorithms", "run_only"];
    private static readonly string[] SourceInfoFields = ["cluster_address"];
    private static readonly string[] TestInfoFields = ["entrypoint", "tests"];
    private static readonly string[] TestFields = ["name", "payload", "timeout", "repeat", "concurrency", "warmup", "trials", "expect", "rate", "duration", "stages", "max_in_flight", "schedule", "runs", "async", "compare"];
    private static readonly string[] CompareFields = ["threshold", "alpha", "budget_seconds", "instance_spread"];
    private static readonly string[] StageFields = ["rate", "duration"];
    private static readonly string[] ClosedModelFields = ["repeat", "concurrency"];
    private static readonly string[] ScheduleExcludes = ["repeat", "concurrency", "trials", "rate", "duration", "stages", "max_in_flight"];
    private static readonly string[] ExpectFields = ["exact", "subset"];
    private static readonly string[] AlgorithmFields =
        ["name", "code_path", "code", "language", "environment", "environment_name", "data_files", "test_payload"];

    /// <summary>Reads the workflow; returns <see langword="null"/> when any problem was reported.</summary>
    public static Workflow? Read(JsonElement root, string name, WorkflowErrorList errors)
    {
        var before = errors.Count;
        var top = JsonObjectReader.Open(root, "$", errors, TopLevelFields);
        if (top is null)
        {
            return null;
        }

        var source = ReadSourceAddress(top, errors);
        var testInfo = top.Value("test_info", required: false) is { } info ? ReadTestInfo(info, top.PathOf("test_info"), errors) : null;
        var algorithms = ReadAlgorithms(top, errors);
        var runOnly = top.Boolean("run_only") ?? false;

        if (errors.Count > before || algorithms is null)
        {
            return null;
        }

        return new Workflow
        {
            Name = name,
            File = errors.File,
            SourceClusterAddress = source,
            TestInfo = testInfo,
            Algorithms = algorithms,
            RunOnly = runOnly,
        };
    }

    private static Uri ReadSourceAddress(JsonObjectReader top, WorkflowErrorList errors)
    {
        if (top.Value("source_info", required: false) is not { } element
            || JsonObjectReader.Open(element, top.PathOf("source_info"), errors, SourceInfoFields) is not { } sourceInfo
            || sourceInfo.String("cluster_address", required: false) is not { } address)
        {
            return Workflow.DefaultSourceClusterAddress;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add(sourceInfo.PathOf("cluster_address"), $"'{address}' is not an absolute http(s) address");
            return Workflow.DefaultSourceClusterAddress;
        }

        return uri;
    }

    private static TestInfo? ReadTestInfo(JsonElement element, string path, WorkflowErrorList errors)
    {
        if (JsonObjectReader.Open(element, path, errors, TestInfoFields) is not { } info)
        {
            return null;
        }

        var entrypoint = info.String("entrypoint", required: true);
        var items = info.Array("tests", required: false) ?? [];
        var tests = items
            .Select((item, index) => ReadTest(item, JsonObjectReader.ItemPath(info.PathOf("tests"), index), errors))
            .ToArray();

        return entrypoint is null || tests.Any(t => t is null)
            ? null
            : new TestInfo { Entrypoint = entrypoint, Tests = tests.OfType<WorkflowTest>().ToArray() };
    }

    private static WorkflowTest? ReadTest(JsonElement element, string path, WorkflowErrorList errors)
    {
        if (JsonObjectReader.Open(element, path, errors, TestFields) is not { } test)
        {
            return null;
        }

        var name = test.String("name", required: true);
        var payload = test.Value("payload", required: true);
        var timeout = test.Integer("timeout");
        if (timeout is < WorkflowTest.MinTimeoutSeconds or > WorkflowTest.MaxTimeoutSeconds)
        {
            errors.Add(test.PathOf("timeout"),
                $"timeout {timeout} s is outside {WorkflowTest.MinTimeoutSeconds}..{WorkflowTest.MaxTimeoutSeconds} seconds");
            return null;
        }

        var repeat = Bounded(test, "repeat", 1, 100_000, errors);
        var concurrency = Bounded(test, "concurrency", 1, 64, errors);
        var warmup = Bounded(test, "warmup", 0, 10_000, errors);
        var trials = Bounded(test, "trials", WorkflowTest.MinTrials, WorkflowTest.MaxTrials, errors);
        var expect = ReadExpect(test, errors, out var expectValid);
        var before = errors.Count;
        var openLoad = ReadOpenLoad(test, errors);
        var schedule = ReadSchedule(test, errors);
        var async = test.Boolean("async") ?? false;
        if (async && schedule is not null)
        {
            errors.Add(test.PathOf("async"), "async makes a test's calls asynchronous; a scheduled test ('schedule') has runs, not calls, and cannot have it");
        }

        var compare = ReadCompare(test, errors);
        return name is null || payload is null || repeat is -1 || concurrency is -1 || warmup is -1 || trials is -1 || !expectValid || errors.Count > before
            ? null
            : new WorkflowTest
            {
                Name = name,
                Payload = payload.Value.Clone(),
                TimeoutSeconds = (int)(timeout ?? WorkflowTest.DefaultTimeoutSeconds),
                Repeat = (int)(repeat ?? 1),
                Concurrency = (int)(concurrency ?? 1),
                Warmup = (int)(warmup ?? 0),
                Trials = (int?)trials,
                Expect = expect,
                OpenLoad = openLoad,
                Schedule = schedule,
                Async = async,
                Compare = compare,
            };
    }

    /// <summary><c>compare</c>: an object of <c>threshold</c>, <c>alpha</c>, <c>budget_seconds</c> and <c>instance_spread</c>, each optional and
    /// bounded; <see langword="null"/> when absent (errors go to <paramref name="errors"/>).</summary>
    private static TestComparisonOptions? ReadCompare(JsonObjectReader test, WorkflowErrorList errors)
    {
        if (test.Value("compare", required: false) is not { } element || JsonObjectReader.Open(element, test.PathOf("compare"), errors, CompareFields) is not { } compare)
        {
            return null;
        }

        var threshold = compare.Number("threshold");
        if (threshold is <= 0 or >= TestComparisonOptions.MaxThreshold)
        {
            errors.Add(compare.PathOf("threshold"), FormattableString.Invariant($"threshold {threshold} is a relative change: use a fraction above 0 and below {TestComparisonOptions.MaxThreshold}, e.g. 0.15 for 15 %"));
        }

        var alpha = compare.Number("alpha");
        if (alpha is <= 0 or > TestComparisonOptions.MaxAlpha)
        {
            errors.Add(compare.PathOf("alpha"), FormattableString.Invariant($"alpha {alpha} is a significance: use a fraction above 0, at most {TestComparisonOptions.MaxAlpha}, e.g. 0.01"));
        }

        var budget = Bounded(compare, "budget_seconds", TestComparisonOptions.MinBudgetSeconds, TestComparisonOptions.MaxBudgetSeconds, errors);
        var spread = compare.Number("instance_spread");
        if (spread is < 0 or >= TestComparisonOptions.MaxThreshold)
        {
            errors.Add(compare.PathOf("instance_spread"), FormattableString.Invariant($"instance_spread {spread} is the sd of a log ratio: use 0 or more, below {TestComparisonOptions.MaxThreshold}, e.g. 0.07"));
        }

        return new TestComparisonOptions { Threshold = threshold, Alpha = alpha, BudgetSeconds = budget is null or -1 ? null : (int)budget, InstanceSpread = spread };
    }

    /// <summary>
    /// <c>schedule</c> (5-field cron) and <c>runs</c>; neither goes with the fields of a call load (a scheduled test's runs
    /// are its sample). <see langword="null"/> for a test of calls.
    /// </summary>
    private static ScheduledRuns? ReadSchedule(JsonObjectReader test, WorkflowErrorList errors)
    {
        if (!test.Has("schedule"))
        {
            if (test.Has("runs"))
            {
                errors.Add(test.PathOf("runs"), "runs counts the runs of a scheduled test: give 'schedule' too (5-field cron, e.g. \"*/1 * * * *\")");
            }

            return null;
        }

        foreach (var load in ScheduleExcludes.Where(test.Has))
        {
            errors.Add(test.PathOf(load), $"{load} shapes a load of calls; a scheduled test ('schedule') measures the task's runs instead and cannot have it");
        }

        var text = test.String("schedule", required: true);
        var runs = Bounded(test, "runs", ScheduledRuns.MinRuns, ScheduledRuns.MaxRuns, errors);
        if (text is null || runs is -1)
        {
            return null;
        }

        try
        {
            return new ScheduledRuns(CronSchedule.Parse(text), (int)(runs ?? ScheduledRuns.DefaultRuns));
        }
        catch (ArgumentException e)
        {
            errors.Add(test.PathOf("schedule"), e.Message);
            return null;
        }
    }

    /// <summary>
    /// The open-model fields: <c>rate</c> with <c>duration</c>, or <c>stages</c>, never with <c>repeat</c> or
    /// <c>concurrency</c>; <c>max_in_flight</c> only with them. <see langword="null"/> for a closed-model test.
    /// </summary>
    private static OpenLoad? ReadOpenLoad(JsonObjectReader test, WorkflowErrorList errors)
    {
        var (hasRate, hasDuration, hasStages) = (test.Has("rate"), test.Has("duration"), test.Has("stages"));
        if (!hasRate && !hasDuration && !hasStages)
        {
            if (test.Has("max_in_flight"))
            {
                errors.Add(test.PathOf("max_in_flight"), "max_in_flight applies to an open-model test: give 'rate' and 'duration', or 'stages'");
            }

            return null;
        }

        foreach (var closed in ClosedModelFields.Where(test.Has))
        {
            errors.Add(test.PathOf(closed), $"{closed} belongs to the closed model; an open-model test ('rate'/'duration' or 'stages') cannot have it");
        }

        if (hasStages && (hasRate || hasDuration))
        {
            errors.Add(test.PathOf(hasRate ? "rate" : "duration"), "give either 'rate' and 'duration' (one constant stage) or 'stages', not both");
            return null;
        }

        if (!hasStages && hasRate != hasDuration)
        {
            errors.Add(test.PathOf(hasRate ? "duration" : "rate"), $"an open-model test needs both 'rate' and 'duration'; '{(hasRate ? "duration" : "rate")}' is missing");
            return null;
        }

        var before = errors.Count;
        var stages = hasStages ? ReadStages(test, errors) : [ReadStage(test, errors)];
        var maxInFlight = Bounded(test, "max_in_flight", 1, OpenLoad.MaxInFlightLimit, errors);
        if (errors.Count > before || stages.Any(stage => stage is null))
        {
            return null;
        }

        var load = new OpenLoad { Stages = stages.OfType<LoadStage>().ToArray(), MaxInFlight = (int)(maxInFlight ?? OpenLoad.DefaultMaxInFlight) };
        if (load.ScheduledCalls > OpenLoad.MaxScheduledCalls)
        {
            errors.Add(test.PathOf(hasStages ? "stages" : "rate"), $"schedules {load.ScheduledCalls} calls ({load.Describe()}); at most {OpenLoad.MaxScheduledCalls} per test");
            return null;
        }

        return load;
    }

    private static LoadStage?[] ReadStages(JsonObjectReader test, WorkflowErrorList errors)
    {
        if (test.Array("stages", required: true) is not { } items)
        {
            return [null];
        }

        if (items.Count is 0 or > OpenLoad.MaxStages)
        {
            errors.Add(test.PathOf("stages"), $"must list 1..{OpenLoad.MaxStages} stages, but lists {items.Count}");
            return [null];
        }

        return [.. items.Select((item, index) => JsonObjectReader.Open(item, JsonObjectReader.ItemPath(test.PathOf("stages"), index), errors, StageFields) is { } stage
            ? ReadStage(stage, errors)
            : null)];
    }

    /// <summary>A stage's <c>rate</c> (calls/s, above 0) and <c>duration</c> (seconds, above 0), both required.</summary>
    private static LoadStage? ReadStage(JsonObjectReader reader, WorkflowErrorList errors)
    {
        var before = errors.Count;
        var rate = reader.Number("rate");
        var duration = reader.Number("duration");
        foreach (var (field, value, max, unit) in new[] { ("rate", rate, OpenLoad.MaxRate, "calls/s"), ("duration", duration, OpenLoad.MaxStageSeconds, "s") })
        {
            if (value is null && !reader.Has(field))
            {
                errors.Add(reader.PathOf(field), $"'{field}' is required");
            }
            else if (value is <= 0 || value > max)
            {
                errors.Add(reader.PathOf(field), $"{field} {value} {unit} is outside (0, {max}]");
            }
        }

        return errors.Count > before ? null : new LoadStage(rate!.Value, duration!.Value);
    }

    /// <summary><c>expect</c>: the string <c>"snapshot"</c>, or an object with exactly one of <c>exact</c>/<c>subset</c>.</summary>
    private static JsonElement? ReadExpect(JsonObjectReader test, WorkflowErrorList errors, out bool valid)
    {
        valid = true;
        if (test.Value("expect", required: false) is not { } expect)
        {
            return null;
        }

        if (expect.ValueKind == JsonValueKind.String && expect.GetString() == "snapshot")
        {
            return expect.Clone();
        }

        var before = errors.Count;
        if (JsonObjectReader.Open(expect, test.PathOf("expect"), errors, ExpectFields) is { } reader && errors.Count == before
            && reader.Has("exact") == reader.Has("subset"))
        {
            errors.Add(test.PathOf("expect"), "give exactly one of 'exact' or 'subset' (or the string \"snapshot\")");
        }

        valid = errors.Count == before;
        return valid ? expect.Clone() : null;
    }

    /// <summary>An optional whole number within bounds; -1 after reporting a value out of range.</summary>
    private static long? Bounded(JsonObjectReader test, string field, long min, long max, WorkflowErrorList errors)
    {
        var value = test.Integer(field);
        if (value is not null && (value < min || value > max))
        {
            errors.Add(test.PathOf(field), $"{field} {value} is outside {min}..{max}");
            return -1;
        }

        return value;
    }

    private static AlgorithmSpec[]? ReadAlgorithms(JsonObjectReader top, WorkflowErrorList errors)
    {
        if (top.Array("algorithms", required: true) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            errors.Add(top.PathOf("algorithms"), "must list at least one algorithm");
            return null;
        }

        var algorithms = items
            .Select((item, index) => ReadAlgorithm(item, JsonObjectReader.ItemPath(top.PathOf("algorithms"), index), errors))
            .ToArray();
        return algorithms.Any(a => a is null) ? null : algorithms.OfType<AlgorithmSpec>().ToArray();
    }

    private static AlgorithmSpec? ReadAlgorithm(JsonElement element, string path, WorkflowErrorList errors)
    {
        if (JsonObjectReader.Open(element, path, errors, AlgorithmFields) is not { } algorithm)
        {
            return null;
        }

        var before = errors.Count;
        var name = algorithm.String("name", required: true);
        if (name is not null && !AlgorithmName.IsValid(name))
        {
            errors.Add(algorithm.PathOf("name"), $"algorithm name '{name}' {AlgorithmName.Rule}");
        }

        var codePath = ReadCodePath(algorithm, errors);
        var environment = ReadEnvironment(algorithm, errors);
        var dataFiles = ReadDataFiles(algorithm, errors);
        var testPayload = algorithm.Value("test_payload", required: true);

        return errors.Count > before || name is null || environment is null || testPayload is null
            ? null
            : new AlgorithmSpec
            {
                Name = name,
                CodePath = codePath,
                Environment = environment,
                DataFiles = dataFiles,
                TestPayload = testPayload.Value.Clone(),
            };
    }

    private static string? ReadCodePath(JsonObjectReader algorithm, WorkflowErrorList errors)
    {
        if (algorithm.Has("code_path") && algorithm.Has("code"))
        {
            errors.Add(algorithm.PathOf("code"), "give either 'code_path' or its alias 'code', not both");
            return null;
        }

        var field = algorithm.Has("code") ? "code" : "code_path";
        var codePath = algorithm.String(field, required: false);
        if (codePath is not null && DataUri.ProblemWithFileUri(codePath) is { } problem)
        {
            errors.Add(algorithm.PathOf(field), problem);
            return null;
        }

        return codePath;
    }

    private static EnvironmentSelector? ReadEnvironment(JsonObjectReader algorithm, WorkflowErrorList errors)
    {
        var selector = new EnvironmentSelector
        {
            Language = algorithm.String("language", required: false),
            Environment = algorithm.String("environment", required: false),
            EnvironmentName = algorithm.String("environment_name", required: false),
        };
        if (!algorithm.Has("language") && !algorithm.Has("environment") && !algorithm.Has("environment_name"))
        {
            errors.Add(algorithm.Path, "one of 'language', 'environment' or 'environment_name' is required");
            return null;
        }

        return selector;
    }

    private static string[] ReadDataFiles(JsonObjectReader algorithm, WorkflowErrorList errors)
    {
        var items = algorithm.Array("data_files", required: false) ?? [];
        var files = new List<string>();
        var fileNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < items.Count; index++)
        {
            var itemPath = JsonObjectReader.ItemPath(algorithm.PathOf("data_files"), index);
            if (items[index].ValueKind != JsonValueKind.String)
            {
                errors.Add(itemPath, $"must be a data:// URI string, but is {JsonObjectReader.Describe(items[index].ValueKind)}");
                continue;
            }

            var uri = items[index].GetString()!;
            if (DataUri.ProblemWithFileUri(uri) is { } problem)
            {
                errors.Add(itemPath, problem);
                continue;
            }

            // Every data file lands in one destination collection under its file name: two with the same name would overwrite.
            var fileName = DataUri.FileName(uri);
            if (fileNames.TryGetValue(fileName, out var first))
            {
                errors.Add(itemPath, $"file name '{fileName}' is also used by data_files[{first}]; both would be copied to the same destination file");
                continue;
            }

            fileNames[fileName] = index;
            files.Add(uri);
        }

        return [.. files];
    }
}
