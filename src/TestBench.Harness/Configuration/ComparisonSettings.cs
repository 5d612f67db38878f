using System.Globalization;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Judging.Comparison;

namespace TestBench.Harness.Configuration;

/// <summary>
/// A comparison run (issue #27): <c>TESTBENCH_COMPARE</c> names one platform kind, whose usual target is the
/// <em>baseline</em> and whose twin, named by the same variables with <c>CANDIDATE_</c> in front
/// (<c>CANDIDATE_RACETRACK_LIFECYCLE_URL</c>…), is the <em>candidate</em>. Without candidate variables both sides are
/// embedded, the candidate optionally slowed down (<c>TESTBENCH_CANDIDATE_SLOWDOWN</c>, for measuring power). Both sides are real or both embedded: comparing a real cluster with a stand-in
/// answers no question.
/// </summary>
public sealed record ComparisonSettings
{
    /// <summary>The variable (and <c>.runsettings</c> parameter <c>Compare</c>) that makes the run a comparison.</summary>
    public const string Variable = "TESTBENCH_COMPARE";

    /// <summary>What the candidate's variables start with.</summary>
    public const string CandidatePrefix = "CANDIDATE_";

    /// <summary>The platform kind both sides are.</summary>
    public required TargetKind Kind { get; init; }

    /// <summary>A configured Algorithmia-style candidate (<see cref="TargetKind.Algorithmia"/>).</summary>
    public ClusterConnection? CandidateDestination { get; init; }

    /// <summary>A configured Racetrack candidate; <see langword="null"/> for an embedded one.</summary>
    public Racetrack.RacetrackConnection? CandidateRacetrack { get; init; }

    /// <summary>A configured Wallaroo candidate; <see langword="null"/> for an embedded one.</summary>
    public Wallaroo.WallarooConnection? CandidateWallaroo { get; init; }

    /// <summary>An embedded candidate's slowdown factor (the runtime's hook), for measuring power. <value>1: none.</value></summary>
    public double CandidateSlowdown { get; init; } = 1;

    /// <summary>A git revision of this repository the baseline's embedded servers are built from
    /// (<c>TESTBENCH_BASELINE_COMMIT</c>, e.g. <c>main</c>); <see langword="null"/>: this checkout's build.</summary>
    public string? BaselineCommit { get; init; }

    /// <summary>A git revision of this repository the candidate's embedded servers are built from
    /// (<c>TESTBENCH_CANDIDATE_COMMIT</c>); <see langword="null"/>: this checkout's build.</summary>
    public string? CandidateCommit { get; init; }

    /// <summary>The CPUs both sides' embedded servers (and their workers) are confined to (<c>taskset -c</c>'s list), so
    /// neither side lands on a better core than the other; <see langword="null"/> for configured clusters or
    /// <c>TESTBENCH_COMPARE_CPUS=any</c>. <value>Default: the upper half of the machine's CPUs (<see cref="UpperHalf"/>).</value></summary>
    public string? ServerCpus { get; init; }

    public ComparisonPolicy Policy { get; init; } = new();

    /// <summary>
    /// How many instance pairs of embedded twins a comparison measures on (<c>TESTBENCH_COMPARE_INSTANCES</c>, 1..4): each
    /// side started that many times, the pairs of blocks taking them in turn, so the instances' own offsets average out
    /// (the spread left falls as 1/√k). Configured clusters are one pair. <value>2 for embedded twins, 1 otherwise.</value>
    /// </summary>
    public int Instances { get; init; } = 1;

    /// <summary>The instance pairs of embedded twins unless the run says otherwise: with 2 the spread left (0.025/√2 ≈ 0.018)
    /// lets a 10 % slowdown clear both α and the threshold in ≥ 95 % of runs (docs/benchmarks.md). <value>2.</value></summary>
    public const int EmbeddedTwinsInstances = 2;

    public ComparisonBudget Budget { get; init; } = new();

    /// <summary>One test's policy and budget: the run's, with the test's own <c>compare</c> fields in their place (its
    /// instance spread only where the run has one: between embedded twins).</summary>
    public (ComparisonPolicy Policy, ComparisonBudget Budget) JudgingOf(Workflows.TestComparisonOptions? test) => test is null
        ? (Policy, Budget)
        : (Policy with
            {
                Threshold = test.Threshold ?? Policy.Threshold,
                Alpha = test.Alpha ?? Policy.Alpha,
                InstanceSpread = Policy.InstanceSpread > 0 ? test.InstanceSpread ?? Policy.InstanceSpread : 0,
            },
           test.BudgetSeconds is { } seconds ? Budget with { MaxDuration = TimeSpan.FromSeconds(seconds) } : Budget);

    /// <summary>A worse candidate is reported, not failed (<c>TESTBENCH_COMPARE_WORSE=warn</c>).</summary>
    public bool WorseIsWarning { get; init; }

    /// <summary>Whether the candidate is a configured cluster rather than an embedded one.</summary>
    public bool CandidateConfigured => CandidateDestination is not null || CandidateRacetrack is not null || CandidateWallaroo is not null;

    /// <summary>The candidate's secrets, for redaction.</summary>
    public IEnumerable<string?> Secrets => [CandidateDestination?.ApiKey, CandidateRacetrack?.AuthToken, CandidateWallaroo?.Token];

    /// <summary>The address variable of each kind's configured target, baseline and candidate alike (with the prefix).</summary>
    private static readonly Dictionary<TargetKind, string> AddressVariables = new()
    {
        [TargetKind.Algorithmia] = "DESTINATION_API_ADDRESS",
        [TargetKind.Racetrack] = RacetrackVariables.LifecycleUrl,
        [TargetKind.Wallaroo] = WallarooVariables.ApiUrl,
    };

    /// <summary>Every variable that configures a kind's target; the candidate's are these with <see cref="CandidatePrefix"/>.</summary>
    private static readonly Dictionary<TargetKind, string[]> TargetVariables = new()
    {
        [TargetKind.Algorithmia] = ["DESTINATION_API_ADDRESS", "DESTINATION_API_KEY", "DESTINATION_CA_CERT"],
        [TargetKind.Racetrack] = [RacetrackVariables.LifecycleUrl, RacetrackVariables.AuthToken, RacetrackVariables.PubUrl],
        [TargetKind.Wallaroo] = [WallarooVariables.ApiUrl, WallarooVariables.Token, WallarooVariables.WorkspaceId],
    };

    /// <summary>
    /// The command that deletes <paramref name="workflow"/>'s exports from the candidate: the clean-up case of a run that is
    /// no comparison, with the candidate's variables in place of the baseline's (their values stay in the shell, never
    /// in the command). An embedded candidate's exports go with its servers at the end of the run: <see langword="null"/>.
    /// </summary>
    public string? CandidateCleanupCommand(string workflow)
    {
        if (!CandidateConfigured || !TargetVariables.TryGetValue(Kind, out var variables))
        {
            return null;
        }

        var assignments = string.Join(' ', variables.Select(v => $"{v}=\"${CandidatePrefix}{v}\""));
        return $"env -u {Variable} RUN_CLEANUP=true {assignments} dotnet test tests/TestBench.Benchmarks --settings .runsettings --filter \"Workflow={workflow}&Stage=Cleanup&Target={Kind.TraitValue()}\"";
    }

    /// <summary>The kind <c>TESTBENCH_COMPARE</c> (or <c>.runsettings</c> <c>Compare</c>) names, for discovery; <see langword="null"/>
    /// when the run is no comparison or names no kind (that error is the settings' to report).</summary>
    public static TargetKind? KindAsked(Func<string, string?> environment, IReadOnlyDictionary<string, string> runSettings)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(runSettings);
        var text = environment(Variable) is { Length: > 0 } variable && !string.IsNullOrWhiteSpace(variable) ? variable.Trim() : runSettings.GetValueOrDefault("Compare");
        return text is not null && !int.TryParse(text, out _) && Enum.TryParse<TargetKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : null;
    }

    /// <summary>Reads the comparison, if the run asks for one; every problem is added to <paramref name="problems"/>,
    /// naming its variables.</summary>
    /// <param name="env">Reads the first set variable of the names given (trimmed).</param>
    /// <param name="setting">Reads an environment variable, else a <c>.runsettings</c> parameter.</param>
    /// <param name="baselineAddress">The configured baseline of the kind, or <see langword="null"/> when it is embedded.</param>
    /// <param name="targetsAsked">What <c>TESTBENCH_TARGETS</c> (or <c>.runsettings</c> <c>Targets</c>) says, if anything.</param>
    /// <param name="problems">Where problems go.</param>
    internal static ComparisonSettings? Read(Func<string[], string?> env, Func<string, string, string?> setting, Func<TargetKind, Uri?> baselineAddress, string? targetsAsked, List<string> problems)
    {
        if (setting(Variable, "Compare") is not { } kindText)
        {
            return null;
        }

        if (KindAsked(_ => kindText, new Dictionary<string, string>()) is not { } kind)
        {
            problems.Add($"{Variable} / .runsettings Compare is '{kindText}'; use local, algorithmia, racetrack or wallaroo (the platform kind both sides are)");
            return null;
        }

        var before = problems.Count;
        if (targetsAsked is not null && targetsAsked.Trim().ToLowerInvariant() is var asked && asked != "auto" && asked != kind.TraitValue())
        {
            problems.Add($"{Variable} is {kind.TraitValue()} but {TargetKinds.Variable} (or .runsettings Targets) is '{targetsAsked}'; a comparison runs on its kind only: unset it or make it {kind.TraitValue()}");
        }

        foreach (var (other, variable) in AddressVariables.Where(pair => pair.Key != kind))
        {
            if (env([CandidatePrefix + variable]) is not null)
            {
                problems.Add($"{Variable} is {kind.TraitValue()} but {CandidatePrefix}{variable} names a {other.TraitValue()} candidate; both sides must be one platform kind");
            }
        }

        var candidate = ReadCandidate(env, kind, problems);
        var baseline = baselineAddress(kind);
        var configured = candidate.Destination?.Address ?? candidate.Racetrack?.LifecycleAddress ?? candidate.Wallaroo?.ApiAddress;
        var slowdown = SlowdownFactor.Read(setting("TESTBENCH_CANDIDATE_SLOWDOWN", "CandidateSlowdown"), "TESTBENCH_CANDIDATE_SLOWDOWN / .runsettings CandidateSlowdown", problems);
        if (AddressVariables.TryGetValue(kind, out var addressVariable) && problems.Count == before)
        {
            if (baseline is not null && configured is null)
            {
                problems.Add($"{addressVariable} names a real baseline but {CandidatePrefix}{addressVariable} names no candidate; configure both sides, or neither to compare two embedded ones");
            }
            else if (baseline is null && configured is not null)
            {
                problems.Add($"{CandidatePrefix}{addressVariable} names a real candidate but {addressVariable} names no baseline; configure both sides, or neither to compare two embedded ones");
            }
            else if (baseline is not null && Same(baseline, configured!))
            {
                problems.Add($"{addressVariable} and {CandidatePrefix}{addressVariable} both name {baseline}; a comparison needs two different clusters");
            }
        }

        if (configured is not null && slowdown != 1)
        {
            problems.Add("TESTBENCH_CANDIDATE_SLOWDOWN shapes an embedded candidate; the candidate here is a configured cluster");
        }
        else if (kind != TargetKind.Local && slowdown != 1)
        {
            problems.Add($"TESTBENCH_CANDIDATE_SLOWDOWN is the embedded cluster's hook; it applies to {Variable}=local, not {kind.TraitValue()}");
        }

        var (baselineCommit, candidateCommit) = (Revision("TESTBENCH_BASELINE_COMMIT", "BaselineCommit"), Revision("TESTBENCH_CANDIDATE_COMMIT", "CandidateCommit"));
        string? Revision(string variable, string parameter)
        {
            var text = setting(variable, parameter);
            if (text is null)
            {
                return null;
            }

            if (configured is not null || kind == TargetKind.Algorithmia)
            {
                problems.Add($"{variable} / .runsettings {parameter} builds an embedded side from a commit; this comparison's sides are configured clusters");
            }
            else if (!System.Text.RegularExpressions.Regex.IsMatch(text, "^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,199}$") || text.Contains("..", StringComparison.Ordinal))
            {
                problems.Add($"{variable} / .runsettings {parameter} is '{text}'; name a commit, branch or tag of this repository (e.g. main, HEAD~1, a hash)");
            }

            return text;
        }

        var spreadText = setting("TESTBENCH_COMPARE_INSTANCE_SPREAD", "CompareInstanceSpread");
        var policy = new ComparisonPolicy
        {
            Threshold = Fraction(setting("TESTBENCH_COMPARE_THRESHOLD", "CompareThreshold"), "TESTBENCH_COMPARE_THRESHOLD / .runsettings CompareThreshold", 0.5, 0.05, problems),
            Alpha = Fraction(setting("TESTBENCH_COMPARE_ALPHA", "CompareAlpha"), "TESTBENCH_COMPARE_ALPHA / .runsettings CompareAlpha", 0.2, 0.01, problems),
            // Between two real clusters the instance difference is what is asked about; between embedded twins it is noise.
            InstanceSpread = spreadText?.Trim() == "0"
                ? 0
                : Fraction(spreadText, "TESTBENCH_COMPARE_INSTANCE_SPREAD / .runsettings CompareInstanceSpread", 0.5, configured is null ? ComparisonPolicy.EmbeddedTwinsSpread : 0, problems),
        };
        var budgetText = setting("TESTBENCH_COMPARE_BUDGET_SECONDS", "CompareBudgetSeconds");
        var budget = new ComparisonBudget();
        if (budgetText is not null)
        {
            budget = int.TryParse(budgetText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 10 and <= 3600
                ? budget with { MaxDuration = TimeSpan.FromSeconds(seconds) }
                : Problem(budget, $"TESTBENCH_COMPARE_BUDGET_SECONDS / .runsettings CompareBudgetSeconds is '{budgetText}'; use whole seconds 10..3600", problems);
        }

        var instancesText = setting("TESTBENCH_COMPARE_INSTANCES", "CompareInstances");
        var instances = configured is null ? EmbeddedTwinsInstances : 1;
        if (instancesText is not null)
        {
            if (!int.TryParse(instancesText, NumberStyles.None, CultureInfo.InvariantCulture, out instances) || instances is < 1 or > 4)
            {
                problems.Add($"TESTBENCH_COMPARE_INSTANCES / .runsettings CompareInstances is '{instancesText}'; use 1..4 (how many times each embedded side is started)");
            }
            else if (configured is not null && instances != 1)
            {
                problems.Add($"TESTBENCH_COMPARE_INSTANCES / .runsettings CompareInstances is {instances}, but the sides are configured clusters, which are one instance pair; unset it or make it 1");
            }
        }

        var cpusText = setting("TESTBENCH_COMPARE_CPUS", "CompareCpus");
        string? cpus = configured is not null || cpusText == "any" ? null : cpusText ?? UpperHalf(Environment.ProcessorCount);
        if (cpus is not null && !System.Text.RegularExpressions.Regex.IsMatch(cpus, "^[0-9]{1,4}([-,][0-9]{1,4}){0,63}$"))
        {
            problems.Add($"TESTBENCH_COMPARE_CPUS / .runsettings CompareCpus is '{cpus}'; list CPUs as taskset -c does (e.g. 1, or 0-1), or say any");
        }

        var worse = setting("TESTBENCH_COMPARE_WORSE", "CompareWorse");
        if (worse is not null && worse is not ("fail" or "warn"))
        {
            problems.Add($"TESTBENCH_COMPARE_WORSE / .runsettings CompareWorse is '{worse}'; use fail (a worse candidate fails its case) or warn (it is reported)");
        }

        return problems.Count > before ? null : new ComparisonSettings
        {
            Kind = kind,
            CandidateDestination = candidate.Destination,
            CandidateRacetrack = candidate.Racetrack,
            CandidateWallaroo = candidate.Wallaroo,
            CandidateSlowdown = slowdown,
            BaselineCommit = baselineCommit,
            CandidateCommit = candidateCommit,
            ServerCpus = cpus,
            Policy = policy,
            Instances = instances,
            Budget = budget,
            WorseIsWarning = worse == "warn",
        };
    }

    private static (ClusterConnection? Destination, Racetrack.RacetrackConnection? Racetrack, Wallaroo.WallarooConnection? Wallaroo) ReadCandidate(Func<string[], string?> env, TargetKind kind, List<string> problems)
    {
        switch (kind)
        {
            case TargetKind.Racetrack:
                return (null, TestBenchSettings.RealRacetrack(env, problems, CandidatePrefix), null);
            case TargetKind.Wallaroo:
                return (null, null, TestBenchSettings.RealWallaroo(env, problems, CandidatePrefix));
            case TargetKind.Algorithmia:
                var address = CandidatePrefix + "DESTINATION_API_ADDRESS";
                var key = CandidatePrefix + "DESTINATION_API_KEY";
                return env([address]) is null && env([key]) is null
                    ? (null, null, null)
                    : (TestBenchSettings.Connection("candidate", env([address]), address, env([key]), key, env([CandidatePrefix + "DESTINATION_CA_CERT"]), CandidatePrefix + "DESTINATION_CA_CERT", problems), null, null);
            default:
                if (env([CandidatePrefix + "DESTINATION_API_ADDRESS"]) is not null)
                {
                    problems.Add($"{Variable} is local, which compares two embedded clusters; to compare two real Algorithmia-style clusters use {Variable}=algorithmia");
                }

                return (null, null, null);
        }
    }

    /// <summary>The upper half of <paramref name="processors"/> CPUs as <c>taskset -c</c> lists them (<c>1</c> of 2,
    /// <c>2-3</c> of 4): both sides' servers there, the harness and its load generator on the rest.</summary>
    public static string UpperHalf(int processors)
    {
        var first = Math.Max(processors / 2, Math.Min(1, processors - 1));
        var last = Math.Max(processors - 1, 0);
        return first == last ? last.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");
    }

    private static bool Same(Uri baseline, Uri candidate) =>
        Uri.Compare(baseline, candidate, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        || baseline.AbsoluteUri.TrimEnd('/').Equals(candidate.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static double Fraction(string? text, string named, double max, double fallback, List<string> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < max
            ? value
            : Problem(fallback, $"{named} is '{text}'; use a fraction above 0 and below {max.ToString(CultureInfo.InvariantCulture)}, e.g. {fallback.ToString(CultureInfo.InvariantCulture)}", problems);
    }

    private static T Problem<T>(T fallback, string problem, List<string> problems)
    {
        problems.Add(problem);
        return fallback;
    }
}
