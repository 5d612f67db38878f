using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Configuration;

/// <summary>
/// Everything a run is configured with. Precedence: environment variables (the original tool's names and
/// aliases) &gt; <c>.runsettings</c> TestRunParameters &gt; defaults. Secrets come only from the environment.
/// </summary>
public sealed record TestBenchSettings
{
    public required IReadOnlyList<TargetKind> Targets { get; init; }

    /// <summary>The real Racetrack (<c>RACETRACK_LIFECYCLE_URL</c>, <c>RACETRACK_AUTH_TOKEN</c>, <c>RACETRACK_PUB_URL</c>);
    /// <see langword="null"/>: the embedded one, when <see cref="TargetKind.Racetrack"/> is a target.</summary>
    public Racetrack.RacetrackConnection? Racetrack { get; init; }

    /// <summary>The real Wallaroo (<c>WALLAROO_API_URL</c>, <c>WALLAROO_TOKEN</c>, <c>WALLAROO_WORKSPACE_ID</c>);
    /// <see langword="null"/>: the embedded one, when <see cref="TargetKind.Wallaroo"/> is a target.</summary>
    public Wallaroo.WallarooConnection? Wallaroo { get; init; }

    /// <summary>The source cluster for <see cref="TargetKind.Algorithmia"/>; <see langword="null"/> for local runs.</summary>
    public ClusterConnection? Source { get; init; }

    /// <summary>The destination cluster for <see cref="TargetKind.Algorithmia"/>.</summary>
    public ClusterConnection? Destination { get; init; }

    /// <summary>The destination's admin key (environment look-up and sync), when configured: <c>ADMIN_API_KEY</c>,
    /// or the password of <see cref="AdminUser"/>.</summary>
    public string? AdminApiKey { get; init; }

    /// <summary><c>ADMIN_API_USERNAME</c>: with it, <see cref="AdminApiKey"/> is that user's password (<c>ADMIN_API_PASSWORD</c>), sent as HTTP Basic.</summary>
    public string? AdminUser { get; init; }

    /// <summary>Keep exported algorithms and data after the run (<c>KeepExports</c>).</summary>
    public bool KeepExports { get; init; }

    /// <summary>Run the opt-in <c>Stage=Cleanup</c> cases (<c>RUN_CLEANUP</c>, <c>.runsettings</c> <c>RunCleanup</c>).</summary>
    public bool RunCleanup { get; init; }

    /// <summary>How long one build may take. <value>Default 10 minutes (<c>BuildTimeoutMinutes</c>).</value></summary>
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Extra time every call to the embedded destination cluster takes (<c>TESTBENCH_LOCAL_CALL_DELAY_MS</c>,
    /// <c>.runsettings</c> <c>LocalCallDelayMs</c>): a way to watch a bar fail. <value>Default zero.</value>
    /// </summary>
    public TimeSpan LocalCallDelay { get; init; }

    /// <summary>
    /// How much longer every call to the embedded destination takes, as a factor (<c>TESTBENCH_LOCAL_SLOWDOWN</c>,
    /// <c>.runsettings</c> <c>LocalSlowdown</c>, 1..10): 1.2 makes each call take 20 % longer. A hook fine enough to
    /// measure what slowdown the verdicts detect. <value>Default 1 (none).</value>
    /// </summary>
    public double LocalSlowdown { get; init; } = 1;

    /// <summary>How long a test may add trials to reach a verdict (<c>TESTBENCH_TRIAL_BUDGET_SECONDS</c>,
    /// <c>.runsettings</c> <c>TrialBudgetSeconds</c>, 1..3600). <value>Default 30 seconds.</value></summary>
    public TimeSpan TrialBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a would-be regression on a noisy machine fails anyway (<c>TESTBENCH_RATCHET_STRICTNESS</c>,
    /// <c>.runsettings</c> <c>RatchetStrictness</c>: <c>default</c> or <c>strict</c>). <value>Default false.</value></summary>
    public bool StrictRatchet { get; init; }

    /// <summary>Where the JSON results file goes (<c>ResultsDirectory</c>); <value>default <c>TestResults</c> under the repository</value>.</summary>
    public required string ResultsDirectory { get; init; }

    /// <summary>
    /// Where every run's results are kept for later runs (issue #28): the PostgreSQL database
    /// <c>TESTBENCH_STORE_CONNECTION</c> names (a secret: environment only), else the SQLite file
    /// <c>TESTBENCH_STORE_FILE</c> (<c>.runsettings</c> <c>StoreFile</c>). <value>Default <c>history/testbench.db</c> in
    /// <see cref="ResultsDirectory"/>; <see langword="null"/> (settings built in code) keeps no history.</value>
    /// </summary>
    public History.StoreLocation? Store { get; init; }

    /// <summary>
    /// More environments for the embedded destination (<c>LocalEnvironments</c>), in the format of its
    /// <c>environments.json</c>, added to the shipped ones; <value>none by default</value>.
    /// </summary>
    public string? LocalEnvironmentsFile { get; init; }

    /// <summary>
    /// Whether a run in which every export and benchmark case was skipped fails (<c>RequireBenchmarks</c>);
    /// <value>false: it passes, with the skip reasons first in the summary</value>.
    /// </summary>
    public bool RequireBenchmarks { get; init; }

    /// <summary>
    /// Whether <c>SOURCE_API_ADDRESS</c> named the source; otherwise each workflow's <c>source_info.cluster_address</c>
    /// is its source (see <see cref="SourceFor"/>).
    /// </summary>
    public bool SourceAddressGiven { get; init; }

    /// <summary>The source cluster of <paramref name="workflow"/>: <see cref="Source"/>, at the workflow's own address unless one was given.</summary>
    public ClusterConnection? SourceFor(Workflows.Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Source is null || SourceAddressGiven || Source.Address == workflow.SourceClusterAddress
            ? Source
            : Source with { Address = workflow.SourceClusterAddress };
    }

    /// <summary>Every secret of the run, for redaction.</summary>
    public IEnumerable<string?> Secrets => [Source?.ApiKey, Destination?.ApiKey, AdminApiKey, Racetrack?.AuthToken, Wallaroo?.Token, .. Comparison?.Secrets ?? [], .. Store?.Secrets ?? []];

    /// <summary>The address of a target's configured cluster, or <c>embedded</c> for the run's own servers: what the
    /// history keys a series by, so a change of cluster starts a new segment.</summary>
    public string AddressOf(TargetKind kind) => RealAddress(kind, Destination, Racetrack, Wallaroo)?.ToString() ?? "embedded";

    private static Uri? RealAddress(TargetKind kind, ClusterConnection? destination, Racetrack.RacetrackConnection? racetrack, Wallaroo.WallarooConnection? wallaroo) => kind switch
    {
        TargetKind.Algorithmia => destination?.Address,
        TargetKind.Racetrack => racetrack?.LifecycleAddress,
        TargetKind.Wallaroo => wallaroo?.ApiAddress,
        _ => null,
    };

    /// <summary>The settings of a comparison's candidate side: this run's, with the candidate's cluster (or an embedded one
    /// with the candidate's slowdown) in place of the baseline's, and no admin key.</summary>
    /// <exception cref="InvalidOperationException">The run is no comparison.</exception>
    public TestBenchSettings CandidateSide()
    {
        var comparison = Comparison ?? throw new InvalidOperationException("the run is no comparison (TESTBENCH_COMPARE is not set)");
        return this with
        {
            Destination = comparison.CandidateDestination,
            Racetrack = comparison.CandidateRacetrack,
            Wallaroo = comparison.CandidateWallaroo,
            LocalSlowdown = comparison.CandidateSlowdown,
            ServersCommit = comparison.CandidateCommit is { } candidate ? new CommitSetting(candidate, "TESTBENCH_CANDIDATE_COMMIT") : null,
            AdminApiKey = null,
            AdminUser = null,
            Comparison = null,
        };
    }

    /// <summary>The CPUs embedded servers are confined to (a comparison's <see cref="ComparisonSettings.ServerCpus"/>);
    /// <see langword="null"/>: anywhere.</summary>
    public string? ServerCpus { get; init; }

    /// <summary>A git revision of this repository the embedded destination's servers are built from (a comparison's
    /// <see cref="ComparisonSettings.BaselineCommit"/> or <see cref="ComparisonSettings.CandidateCommit"/>);
    /// <see langword="null"/>: this checkout's build.</summary>
    public CommitSetting? ServersCommit { get; init; }

    /// <summary>The comparison this run makes (<c>TESTBENCH_COMPARE</c>), or <see langword="null"/> for a benchmark run.</summary>
    public ComparisonSettings? Comparison { get; init; }

    /// <summary>Builds the settings; throws one <see cref="ArgumentException"/> naming every bad or missing variable.</summary>
    public static TestBenchSettings From(Func<string, string?> environment, IReadOnlyDictionary<string, string> runSettings, RepositoryLayout layout, Uri defaultSourceAddress)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(runSettings);
        ArgumentNullException.ThrowIfNull(layout);
        var problems = new List<string>();
        string? Env(params string[] names) => names.Select(n => environment(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        string? Setting(string environmentName, string parameter) => Env(environmentName) ?? runSettings.GetValueOrDefault(parameter);

        var keep = Setting("KEEP_EXPORTS", "KeepExports");
        if (keep is not null && !bool.TryParse(keep, out _))
        {
            problems.Add($"KEEP_EXPORTS / .runsettings KeepExports is '{keep}'; use true or false");
        }

        var require = Setting("TESTBENCH_REQUIRE_BENCHMARKS", "RequireBenchmarks");
        if (require is not null && !bool.TryParse(require, out _))
        {
            problems.Add($"TESTBENCH_REQUIRE_BENCHMARKS / .runsettings RequireBenchmarks is '{require}'; use true or false");
        }

        var environments = Setting("TESTBENCH_LOCAL_ENVIRONMENTS", "LocalEnvironments") is { } named ? Path.GetFullPath(named, layout.Root) : null;
        if (environments is not null && !File.Exists(environments))
        {
            problems.Add($"TESTBENCH_LOCAL_ENVIRONMENTS / .runsettings LocalEnvironments names '{environments}', which is not a file");
        }

        var cleanup = Setting("RUN_CLEANUP", "RunCleanup");
        if (cleanup is not null && !bool.TryParse(cleanup, out _))
        {
            problems.Add($"RUN_CLEANUP / .runsettings RunCleanup is '{cleanup}'; use true or false");
        }

        int? WholeNumber(string environmentName, string parameter, int min, int max, string unit)
        {
            var text = Setting(environmentName, parameter);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, out var value) && value >= min && value <= max)
            {
                return value;
            }

            problems.Add($"{environmentName} / .runsettings {parameter} is '{text}'; use whole {unit} {min}..{max}");
            return null;
        }

        var buildMinutes = WholeNumber("BUILD_TIMEOUT_MINUTES", "BuildTimeoutMinutes", 1, 240, "minutes") ?? 10;
        var callDelayMs = WholeNumber("TESTBENCH_LOCAL_CALL_DELAY_MS", "LocalCallDelayMs", 0, 60_000, "milliseconds") ?? 0;
        var trialBudget = WholeNumber("TESTBENCH_TRIAL_BUDGET_SECONDS", "TrialBudgetSeconds", 1, 3600, "seconds") ?? 30;

        var slowdown = SlowdownFactor.Read(Setting("TESTBENCH_LOCAL_SLOWDOWN", "LocalSlowdown"), "TESTBENCH_LOCAL_SLOWDOWN / .runsettings LocalSlowdown", problems);

        var strictness = Setting("TESTBENCH_RATCHET_STRICTNESS", "RatchetStrictness");
        if (strictness is not null && strictness is not ("default" or "strict"))
        {
            problems.Add($"TESTBENCH_RATCHET_STRICTNESS / .runsettings RatchetStrictness is '{strictness}'; use default (a regression on a noisy machine is inconclusive) or strict (it fails)");
        }

        var adminUser = Env("ADMIN_API_KEY") is null ? Env("ADMIN_API_USERNAME") : null;
        if (adminUser is not null && Env("ADMIN_API_PASSWORD") is null)
        {
            problems.Add("ADMIN_API_USERNAME is set without ADMIN_API_PASSWORD; set both, or ADMIN_API_KEY instead");
        }

        IReadOnlyList<TargetKind> targets = [TargetKind.Local];
        try
        {
            targets = TargetKinds.Choose(environment, runSettings);
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        // A comparison runs on its kind only (ComparisonSettings.Read reports a TESTBENCH_TARGETS that says otherwise).
        if (ComparisonSettings.KindAsked(environment, runSettings) is { } comparedKind)
        {
            targets = [comparedKind];
        }

        ClusterConnection? source = null, destination = null;
        if (targets.Contains(TargetKind.Algorithmia))
        {
            var fqdn = Env("FQDN");
            var address = Env("DESTINATION_API_ADDRESS") ?? (fqdn is null ? null : $"https://api.{fqdn}");
            destination = Connection("destination", address, "DESTINATION_API_ADDRESS (or FQDN)", Env("DESTINATION_API_KEY", "API_KEY"), "DESTINATION_API_KEY (or API_KEY)", Env("DESTINATION_CA_CERT"), "DESTINATION_CA_CERT", problems);
            source = Connection("source", Env("SOURCE_API_ADDRESS") ?? defaultSourceAddress.ToString(), "SOURCE_API_ADDRESS", Env("SOURCE_API_KEY", "RATCHET_API_KEY"), "SOURCE_API_KEY (or RATCHET_API_KEY)", Env("SOURCE_CA_CERT"), "SOURCE_CA_CERT", problems);
        }

        var racetrack = targets.Contains(TargetKind.Racetrack) ? RealRacetrack(Env, problems) : null;
        var wallaroo = targets.Contains(TargetKind.Wallaroo) ? RealWallaroo(Env, problems) : null;
        var comparison = ComparisonSettings.Read(
            Env,
            Setting,
            kind => RealAddress(kind, destination, racetrack, wallaroo),
            Env(TargetKinds.Variable, "TESTBENCH_TARGET") ?? runSettings.GetValueOrDefault("Targets") ?? runSettings.GetValueOrDefault("Target"),
            problems);
        var resultsDirectory = Setting("TESTBENCH_RESULTS_DIRECTORY", "ResultsDirectory") is { } results
            ? Path.GetFullPath(results, layout.Root)
            : Path.Combine(layout.Root, "TestResults");
        var store = StoreOf(Env(History.StoreLocation.ConnectionVariable), Setting(History.StoreLocation.FileVariable, "StoreFile"), layout.Root, resultsDirectory, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{nameof(TestBenchSettings)} are invalid: {string.Join("; ", problems)}.");
        }

        return new TestBenchSettings
        {
            Targets = targets,
            Comparison = comparison,
            ServerCpus = comparison?.ServerCpus,
            ServersCommit = comparison?.BaselineCommit is { } baseline ? new CommitSetting(baseline, "TESTBENCH_BASELINE_COMMIT") : null,
            Racetrack = racetrack,
            Wallaroo = wallaroo,
            Source = source,
            SourceAddressGiven = Env("SOURCE_API_ADDRESS") is not null,
            Destination = destination,
            AdminApiKey = Env("ADMIN_API_KEY") ?? (adminUser is null ? null : Env("ADMIN_API_PASSWORD")),
            AdminUser = adminUser,
            KeepExports = keep is not null && bool.Parse(keep),
            RunCleanup = cleanup is not null && bool.Parse(cleanup),
            RequireBenchmarks = require is not null && bool.Parse(require),
            LocalEnvironmentsFile = environments,
            BuildTimeout = TimeSpan.FromMinutes(buildMinutes),
            LocalCallDelay = TimeSpan.FromMilliseconds(callDelayMs),
            LocalSlowdown = slowdown,
            TrialBudget = TimeSpan.FromSeconds(trialBudget),
            StrictRatchet = strictness == "strict",
            ResultsDirectory = resultsDirectory,
            Store = store,
        };
    }

    /// <summary>The store a connection string or a file names; a connection string that is none is a problem.</summary>
    private static History.StoreLocation? StoreOf(string? connection, string? file, string root, string resultsDirectory, List<string> problems)
    {
        try
        {
            return History.StoreLocation.FromSettings(connection, file, root, resultsDirectory);
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    /// <summary>The Racetrack <c>RACETRACK_LIFECYCLE_URL</c> names (with <paramref name="prefix"/>: <c>CANDIDATE_RACETRACK_LIFECYCLE_URL</c>), or <see langword="null"/> (the embedded one).</summary>
    internal static Racetrack.RacetrackConnection? RealRacetrack(Func<string[], string?> env, List<string> problems, string prefix = "")
    {
        var (lifecycleVariable, pubVariable, tokenVariable) = (prefix + RacetrackVariables.LifecycleUrl, prefix + RacetrackVariables.PubUrl, prefix + RacetrackVariables.AuthToken);
        var lifecycle = env([lifecycleVariable]);
        if (lifecycle is null)
        {
            return null;
        }

        var before = problems.Count;
        var lifecycleUri = HttpAddress(lifecycle, lifecycleVariable, "https://racetrack.example.com/lifecycle", problems);
        var pub = env([pubVariable]) is { } pubText ? HttpAddress(pubText, pubVariable, "https://racetrack.example.com/pub", problems) : null;
        var token = env([tokenVariable]);
        if (token is null)
        {
            problems.Add($"{tokenVariable} is not set; the Racetrack at {lifecycleVariable} needs a token (racetrack get auth-token)");
        }

        return problems.Count > before ? null : new Racetrack.RacetrackConnection(new Uri(lifecycleUri!.ToString().TrimEnd('/') + "/"), token!, pub);
    }

    /// <summary>The Wallaroo <c>WALLAROO_API_URL</c> names (with <paramref name="prefix"/>: <c>CANDIDATE_WALLAROO_API_URL</c>), or <see langword="null"/> (the embedded one).</summary>
    internal static Wallaroo.WallarooConnection? RealWallaroo(Func<string[], string?> env, List<string> problems, string prefix = "")
    {
        var (apiVariable, tokenVariable, workspaceVariable) = (prefix + WallarooVariables.ApiUrl, prefix + WallarooVariables.Token, prefix + WallarooVariables.WorkspaceId);
        var api = env([apiVariable]);
        if (api is null)
        {
            return null;
        }

        var before = problems.Count;
        var apiUri = HttpAddress(api, apiVariable, "https://example.api.wallaroo.ai", problems);
        var token = env([tokenVariable]);
        if (token is null)
        {
            problems.Add($"{tokenVariable} is not set; the Wallaroo at {apiVariable} needs a bearer token (the SDK's wl.auth.auth_header())");
        }

        var workspaceText = env([workspaceVariable]);
        long workspace = 0;
        if (workspaceText is null || !long.TryParse(workspaceText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out workspace) || workspace < 1)
        {
            problems.Add($"{workspaceVariable} is '{workspaceText}'; the Wallaroo at {apiVariable} needs the id of the workspace to work in, a whole number from 1 (wl.get_current_workspace().id())");
        }

        return problems.Count > before ? null : new Wallaroo.WallarooConnection(new Uri(apiUri!.ToString().TrimEnd('/') + "/"), token!) { WorkspaceId = workspace };
    }

    private static Uri? HttpAddress(string text, string variable, string example, List<string> problems)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        problems.Add($"{variable} is '{text}'; it must be an http(s) address such as {example}");
        return null;
    }

    internal static ClusterConnection? Connection(string name, string? address, string addressVariable, string? key, string keyVariable, string? caFile, string caVariable, List<string> problems)
    {
        var before = problems.Count;
        if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add($"{addressVariable} is '{address}'; it must be an http(s) address such as https://api.example.com");
            uri = null;
        }

        if (key is null)
        {
            problems.Add($"{keyVariable} is not set; the {name} cluster needs an API key");
        }

        if (caFile is not null && !File.Exists(caFile))
        {
            problems.Add($"{caVariable} names '{caFile}', which does not exist");
        }

        return problems.Count > before ? null : new ClusterConnection(name, uri!, key!, caFile);
    }
}
