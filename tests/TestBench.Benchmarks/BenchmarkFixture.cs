using TestBench.Runner.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Export;
using TestBench.Harness.History;
using TestBench.Harness.Judging;
using TestBench.Harness.Judging.Approvals;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Benchmarks;

/// <summary>
/// Owns what a run shares: settings, the export targets (embedded servers or configured ones), each workflow
/// (loaded once) and its export to each target (made once, on first demand), and the results file. At the end it deletes
/// what the run created, unless <c>run_only</c> or <c>KeepExports=true</c>, and publishes the results and report. The
/// results file is kept on disk as the run goes (<see cref="ResultsFile"/>); the report is published whatever the
/// clean-up meets, and a clean-up failure is reported as one after it.
/// </summary>
public sealed class BenchmarkFixture : IAsyncLifetime, IDisposable
{
    private readonly OncePerKey<(string File, TargetKind Target), IWorkflowExport> exports;
    private readonly OncePerKey<(string File, TargetKind Target, ComparisonSide Side, int Instance), IWorkflowExport> twinExports;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RatchetBook> ratchets = new(StringComparer.Ordinal);
    private readonly List<ExportTargets> candidates = [];
    private readonly List<ExportTargets> moreBaselines = [];
    private ExportTargets? targets;
    private Exception? candidateStartFailure;
    private RunIdentity? run;
    private readonly Lazy<Task<(ResultsStore? Store, string? Reason)>> history;
    private Exception? startFailure;

    public BenchmarkFixture()
    {
        Layout = RepositoryLayout.Locate(AppContext.BaseDirectory, EnvironmentVariables.Process);
        Loader = new WorkflowLoader(Layout.Root);
        var runSettings = RunSettingsParameters.Read(EnvironmentVariables.Process(RunSettingsParameters.Variable) ?? Path.Combine(Layout.Root, ".runsettings"));
        Settings = TestBenchSettings.From(EnvironmentVariables.Process, runSettings, Layout, Workflow.DefaultSourceClusterAddress);
        Results = new ResultsFile(Settings.ResultsDirectory, EnvironmentVariables.Process);
        Outages = new TargetOutages(Results, () => Redactor, TimeProvider.System);
        exports = new OncePerKey<(string File, TargetKind Target), IWorkflowExport>((key, _) => Task.FromResult(ExportOf(Loader.LoadValid(key.File), key.Target)));
        history = new(() => Settings.Store is { } store
            ? new RunHistory(store, Redactor, TimeProvider.System).TryOpenAsync(CancellationToken.None)
            : Task.FromResult<(ResultsStore?, string?)>((null, "no results store for this run")));
        twinExports = new OncePerKey<(string File, TargetKind Target, ComparisonSide Side, int Instance), IWorkflowExport>((key, _) => Task.FromResult(TwinExportOf(Loader.LoadValid(key.File), key.Target, key.Side, key.Instance)));
    }

    public RepositoryLayout Layout { get; }

    public WorkflowLoader Loader { get; }

    public TestBenchSettings Settings { get; }

    public ResultsFile Results { get; }

    /// <summary>Targets found down during the run: their later cases fail at once.</summary>
    public TargetOutages Outages { get; }

    /// <summary>Which export and benchmark cases ran and why others were skipped.</summary>
    public CaseTally Cases { get; } = new();

    /// <summary>Runs one workflow test through <paramref name="calls"/> on a target (its trials, expectation and bar).</summary>
    public TestBenchmark BenchmarkOn(IBenchmarkCalls calls, TargetKind target) =>
        new(calls, Redactor, new Approver(Layout.WorkflowsDirectory), Settings.TrialBudget, targets?.MeasuredBuildsOf(target));

    /// <summary>
    /// The history's verdict on a test's series with this run's measurement at its end (issue #28), or why there is
    /// none: a comparison run, a store that cannot be opened (said once per case, the run goes on), no run identity.
    /// </summary>
    public async Task<HistoryReading> HistoryOfAsync(Measurement measurement)
    {
        if (Settings.Store is null || Results.Run is not { } record)
        {
            return new HistoryReading(null, "no results store for this run");
        }

        var (store, reason) = await history.Value;
        if (store is null)
        {
            return new HistoryReading(null, $"the results store {Settings.Store.Describe()} could not be opened: {reason}");
        }

        try
        {
            return new HistoryReading(await new HistoryJudge(store, new HistoryPolicy()).JudgeAsync(measurement, record, CancellationToken.None), null);
        }
        catch (Exception e) when (RunHistory.IsStoreFailure(e))
        {
            return new HistoryReading(null, $"the results store {Settings.Store.Describe()} could not be read: {new RunHistory(Settings.Store, Redactor, TimeProvider.System).Redacted(e)}");
        }
    }

    /// <summary>When, where and at which commit this run measures.</summary>
    public RunIdentity Run => run ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>A workflow's bars on a target (<c>workflows/&lt;name&gt;.ratchet.json</c>, <c>workflows/&lt;name&gt;.&lt;target&gt;.ratchet.json</c>), read once per run.</summary>
    public RatchetBook RatchetOf(string workflow, TargetKind target) =>
        ratchets.GetOrAdd(ApprovalFiles.BarsName(workflow, target.TraitValue()), name => new RatchetBook(Layout.WorkflowsDirectory, name, new RatchetJudge(new VerdictPolicy { Strict = Settings.StrictRatchet }, new CeilingPolicy()), Run));

    /// <summary>Knows every secret of the run: the settings', the embedded servers' and, in a comparison, every instance's.</summary>
    public SecretRedactor Redactor => candidates.Concat(moreBaselines).Aggregate(targets?.Redactor ?? new SecretRedactor(Settings.Secrets), (redactor, twin) => redactor.With(twin.Redactor));

    /// <summary>The export of the case's workflow to its target when it was made already (for a probe after a failure).</summary>
    public IWorkflowExport? ExistingExport(string file, TargetKind target) =>
        exports.CompletedEntries().FirstOrDefault(entry => entry.Key == (file, target)).Value;

    /// <summary>In a comparison run, the workflow's export to one instance of a side (instance 0 of the baseline is the
    /// run's own target); <see cref="ComparisonSettings.Instances"/> of each.</summary>
    public Task<IWorkflowExport> ComparedExportOfAsync(string file, TargetKind target, ComparisonSide side, int instance, CancellationToken cancellationToken) =>
        side == ComparisonSide.Baseline && instance == 0 ? ExportOfAsync(file, target, cancellationToken) : twinExports.GetAsync((file, target, side, instance), cancellationToken);

    /// <summary>The workflow's export to <paramref name="target"/>, shared by all its cases there.</summary>
    public Task<IWorkflowExport> ExportOfAsync(string file, TargetKind target, CancellationToken cancellationToken) => exports.GetAsync((file, target), cancellationToken);

    private IWorkflowExport ExportOf(Workflow workflow, TargetKind target)
    {
        // Throws the start-up failure (for example a cluster that would not start).
        var started = targets ?? throw new InvalidOperationException($"The export targets could not be set up: {startFailure?.Message}", startFailure);
        return Settings.Targets.Contains(target)
            ? started.ExportOf(workflow, target, TimeProvider.System)
            : throw new InvalidOperationException($"The case is for target {target.TraitValue()}, which this run did not start (targets: {string.Join(", ", Settings.Targets.Select(t => t.TraitValue()))}); run the tests again.");
    }

    /// <summary>Which commit each side's embedded servers were built from, when a side's were not this checkout's.</summary>
    public string? ComparedBuilds() => targets?.ServersBuiltFrom is null && candidates.FirstOrDefault()?.ServersBuiltFrom is null
        ? null
        : $"baseline servers built from {targets?.ServersBuiltFrom?.ToString() ?? "this checkout"}, candidate servers from {candidates.FirstOrDefault()?.ServersBuiltFrom?.ToString() ?? "this checkout"}";

    private IWorkflowExport TwinExportOf(Workflow workflow, TargetKind target, ComparisonSide side, int instance)
    {
        if (Settings.Comparison is null || candidateStartFailure is not null)
        {
            throw new InvalidOperationException($"The comparison's other instances could not be set up: {candidateStartFailure?.Message ?? "the run is no comparison"}", candidateStartFailure);
        }

        List<ExportTargets> instances = side == ComparisonSide.Candidate ? candidates : [targets!, .. moreBaselines];
        return instances[instance].ExportOf(workflow, target, TimeProvider.System);
    }

    public async Task InitializeAsync()
    {
        run = await RunIdentity.CurrentAsync(Layout.Root, TimeProvider.System, CancellationToken.None);
        Results.Begin(new RunRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            StartedAt = run.At,
            Commit = run.Commit,
            Machine = run.Machine,
            Targets = Settings.Targets.ToDictionary(target => target.TraitValue(), Settings.AddressOf, StringComparer.Ordinal),
        });
        try
        {
            targets = await ExportTargets.CreateAsync(Settings, Layout, ExportTargets.Hosting.OutOfProcess, CancellationToken.None);
            foreach (var (kind, why) in targets.FailedToStart)
            {
                Outages.RecordAtStart(kind.TraitValue(), why);
            }
        }
#pragma warning disable CA1031 // Reported by every case that needs the target, with this exception as the cause.
        catch (Exception e)
#pragma warning restore CA1031
        {
            startFailure = e;
        }

        if (Settings.Comparison is { } comparison)
        {
            // Instance pair 0 is the run's targets and the first candidate; each further pair is one more of each. They
            // start together (a side built from a commit is built once: the build is shared).
            var candidateStarts = Enumerable.Range(0, comparison.Instances).Select(_ => StartAsync(Settings.CandidateSide())).ToArray();
            var baselineStarts = targets is null ? [] : Enumerable.Range(1, comparison.Instances - 1).Select(_ => StartAsync(Settings)).ToArray();
            try
            {
                await Task.WhenAll(candidateStarts.Concat(baselineStarts));
            }
#pragma warning disable CA1031 // Reported by every comparison case, with this exception as the cause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                candidateStartFailure = e;
            }

            // Whatever started is stopped at the end, even when another instance failed to start.
            candidates.AddRange(candidateStarts.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result));
            moreBaselines.AddRange(baselineStarts.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result));
        }
    }

    private Task<ExportTargets> StartAsync(TestBenchSettings side) => ExportTargets.CreateAsync(side, Layout, ExportTargets.Hosting.OutOfProcess, CancellationToken.None);

    public async Task DisposeAsync()
    {
        IReadOnlyList<Leftover> cleanupFailures = [];
        try
        {
            if (!Settings.KeepExports && targets is not null)
            {
                cleanupFailures = await new ExportCleanup(Results, Outages, Redactor).RunAsync(
                    [
                        .. exports.CompletedEntries().Select(entry => CleanupItem.OnTarget(entry.Key.Target.TraitValue(), entry.Value)),
                        .. twinExports.CompletedEntries().Select(entry => new CleanupItem(
                            $"{entry.Key.Target.TraitValue()} ({entry.Key.Side.ToString().ToLowerInvariant()}{(entry.Key.Instance > 0 ? $" instance {entry.Key.Instance + 1}" : "")})",
                            entry.Value,
                            Settings.Comparison!.CandidateCleanupCommand(entry.Value.Workflow.Name) ?? "nothing to run: an embedded side's servers and their data are removed when the run ends")),
                    ],
                    NullLogger.Instance);
            }
        }
        finally
        {
            // A comparison is history-independent (issue #27): it neither reads nor adds to the store.
            var history = Settings.Store is { } store && Settings.Comparison is null ? new RunHistory(store, Redactor, TimeProvider.System) : null;
            await new RunReport(Layout.WorkflowsDirectory, EnvironmentVariables.Process, TimeProvider.System, history)
                .PublishAsync(Results, ratchets.Values.Select(book => book.ReceivedPath).OfType<string>(), CancellationToken.None);
            if (targets is not null)
            {
                await targets.DisposeAsync();
            }

            foreach (var twin in candidates.Concat(moreBaselines))
            {
                await twin.DisposeAsync();
            }
        }

        // Thrown from the shared fixture's clean-up, these fail the run (xUnit reports a collection clean-up failure):
        // after the results and report are out, and only for targets that were answering.
        if (cleanupFailures.Count > 0)
        {
            throw new InvalidOperationException($"The clean-up failed; the results and report were written. Left behind: {string.Join(" | ", cleanupFailures.Select(l => l.Describe()))}");
        }

        // Thrown from the shared fixture's clean-up, this fails the run (xUnit reports it as a collection clean-up failure).
        if (Settings.RequireBenchmarks && Cases.NothingMeasured)
        {
            throw new InvalidOperationException($"RequireBenchmarks is set and this run measured nothing: {Cases.Describe()}");
        }
    }

    public void Dispose()
    {
        exports.Dispose();
        twinExports.Dispose();
    }
}
